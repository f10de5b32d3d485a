"""The page side of a conflict: what the script is told about the saved answer, and the
user's per-indicator choice ("keep mine" / "keep theirs") applied to the posted page.

A conflicted page keeps the user's values and the revisions it was built on, so nothing
it sends can overwrite the other person's answer until the user has chosen.
"""

from collections.abc import Iterable

from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.timezone import localtime

from assessments.models import Answer, Response
from assessments.selectors import response_answers


def saved_answer_json(answer: Answer | None) -> dict:
    """The saved side of a conflict, as the page's script needs it to offer "keep theirs"."""
    if answer is None:
        return {"choice": "", "evidence": "", "tag_codes": [], "other_tags": "", "revision": 0}
    return {
        "choice": answer.choice,
        "evidence": answer.evidence,
        "tag_codes": list(answer.tag_codes),
        "other_tags": answer.other_tags,
        "revision": answer.revision,
        "updated_by": answer.updated_by.get_username() if answer.updated_by else "",
        "updated_at": date_format(localtime(answer.updated_at), "Y-m-d H:i"),
    }


def with_keep_choices(post: QueryDict, response: Response, codes: Iterable[str]) -> QueryDict:
    """Apply the user's per-indicator choice after a conflict (``<code>-keep``) for the
    indicators ``codes`` (a page's, or a workbook's conflicted ones).

    "theirs" replaces the page's values by the saved ones (nothing is written);
    "mine" takes the saved revision the user was shown (``<code>-saved_revision``) as
    the base, so the save overwrites that version on purpose, and only that version.
    """
    keep = {code: post.get(f"{code}-keep") for code in codes if post.get(f"{code}-keep")}
    if not keep:
        return post
    data = post.copy()
    saved = response_answers(response=response) if "theirs" in keep.values() else {}
    for code, choice in keep.items():
        if choice == "mine":
            data[f"{code}-revision"] = post.get(f"{code}-saved_revision", "")
        elif choice == "theirs":
            values = saved_answer_json(saved.get(code))
            data[f"{code}-choice"] = values["choice"]
            data[f"{code}-evidence"] = values["evidence"]
            data.setlist(f"{code}-tag_codes", values["tag_codes"])
            data[f"{code}-other_tags"] = values["other_tags"]
            data[f"{code}-revision"] = str(values["revision"])
    return data
