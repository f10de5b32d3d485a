"""Accounts made and kept up to date by organisation sign-in (OpenID Connect): found by the
stable subject, never by e-mail; e-mail and name refreshed at each sign-in; the role mapping
applied at each sign-in, roles the mapping no longer grants removed then (and the user's API
tokens revoked through ``missions.signals.user_access_changed``)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from missions.models import Membership, MembershipRole, Mission
from missions.roles import ANALYST_GROUP, Account
from missions.signals import user_access_changed
from security.models import EventKind, OrganisationIdentity
from security.oidc_mapping import GrantedRoles, MissionRole
from security.services import security_event_record


@dataclass(frozen=True)
class SignInResult:
    user: Account
    created: bool
    granted: GrantedRoles
    changes: list[str]


def _username_for(*, issuer: str, subject: str, claims: dict[str, Any]) -> str:
    """Readable and unique: the e-mail's local part (or name) and a hash of the identity."""
    hint = str(claims.get("preferred_username") or claims.get("email") or "user")
    hint = re.sub(r"[^\w.+-]", "", hint.split("@")[0])[:40] or "user"
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:10]
    return f"{hint}.{digest}"


def _names(claims: dict[str, Any]) -> tuple[str, str]:
    first, last = claims.get("given_name"), claims.get("family_name")
    if not (first or last) and claims.get("name"):
        first, _sep, last = str(claims["name"]).partition(" ")
    return str(first or "")[:150], str(last or "")[:150]


def _current_mission_roles(user: Account) -> dict[MissionRole, Membership]:
    return {
        MissionRole(m.mission.code, m.role, m.component if m.role == "respondent" else ""): m
        for m in Membership.objects.filter(user=user).select_related("mission")
    }


def _apply_roles(*, user: Account, granted: GrantedRoles) -> list[str]:
    """Make the account's roles exactly what the mapping grants; the changes, in words."""
    changes: list[str] = []
    if user.is_superuser != granted.administrator or user.is_staff != granted.administrator:
        changes.append(("+" if granted.administrator else "-") + "administrator")
        user.is_superuser = user.is_staff = granted.administrator
        user.save(update_fields=["is_superuser", "is_staff"])
    analyst_group, _created = Group.objects.get_or_create(name=ANALYST_GROUP)
    is_analyst = user.groups.filter(pk=analyst_group.pk).exists()
    if is_analyst != granted.hq_analyst:
        changes.append(("+" if granted.hq_analyst else "-") + "HQ analyst")
        if granted.hq_analyst:
            user.groups.add(analyst_group)
        else:
            user.groups.remove(analyst_group)
    current = _current_mission_roles(user)
    for role, membership in sorted(current.items()):
        if role not in granted.mission_roles:
            membership.delete()
            changes.append(f"-{role.describe()}")
    missions = Mission.objects.in_bulk(
        {role.mission_code for role in granted.mission_roles}, field_name="code"
    )
    for role in sorted(granted.mission_roles - set(current)):
        mission = missions.get(role.mission_code)
        if mission is None:
            security_event_record(
                kind=EventKind.ROLE_CHANGE,
                user=user,
                detail=f"role mapping names unknown mission {role.mission_code}; not granted",
            )
            continue
        Membership.objects.create(
            user=user,
            mission=mission,
            role=role.role,
            component=role.component if role.role == MembershipRole.RESPONDENT else "",
        )
        changes.append(f"+{role.describe()}")
    return changes


@transaction.atomic
def organisation_account_sign_in(
    *,
    issuer: str,
    subject: str,
    claims: dict[str, Any],
    provider_roles: list[str],
    granted: GrantedRoles,
    request: HttpRequest | None = None,
) -> SignInResult:
    """The account of this organisation identity, made at its first sign-in, with its
    e-mail, name and roles brought up to date."""
    identity = (
        OrganisationIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    first, last = _names(claims)
    email = str(claims.get("email") or claims.get("preferred_username") or "")[:254]
    created = identity is None
    if identity is None:
        user = Account(
            username=_username_for(issuer=issuer, subject=subject, claims=claims),
            email=email,
            first_name=first,
            last_name=last,
        )
        user.set_unusable_password()  # signs in through the organisation only
        user.save()
        identity = OrganisationIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    else:
        user = identity.user
        if (user.email, user.first_name, user.last_name) != (email, first, last):
            user.email, user.first_name, user.last_name = email, first, last
            user.save(update_fields=["email", "first_name", "last_name"])
    identity.last_sign_in_at = timezone.now()
    identity.provider_roles = sorted(provider_roles)
    identity.save(update_fields=["last_sign_in_at", "provider_roles"])
    changes = _apply_roles(user=user, granted=granted)
    if created:
        security_event_record(
            kind=EventKind.ROLE_CHANGE,
            user=user,
            request=request,
            detail="account made at first organisation sign-in; roles: "
            + (", ".join(granted.describe()) or "none"),
        )
    elif changes:
        reason = "roles changed by the role mapping at organisation sign-in: " + ", ".join(changes)
        security_event_record(kind=EventKind.ROLE_CHANGE, user=user, request=request, detail=reason)
        # Removals are not caught by the save receivers of security/access_changes.py.
        user_access_changed.send(sender=Account, user_id=user.pk, reason=reason)
    return SignInResult(user=user, created=created, granted=granted, changes=changes)
