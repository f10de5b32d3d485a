"""A GIN index on the answers' tag codes, on PostgreSQL only: the evidence page
(``dashboards.selectors.barriers.barrier_evidence``) finds the answers tagged with one code by
JSON containment, and a tag is on about one answer in a thousand. Other databases keep reading
the tag list's text (no index helps that match), so this migration does nothing there. The
index is not declared on the model, which keeps the model portable."""

from django.db import migrations

INDEX = "assessments_answer_tag_codes_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON assessments_answer "
            "USING gin (tag_codes jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_answer_na_reason_and_confirmation")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
