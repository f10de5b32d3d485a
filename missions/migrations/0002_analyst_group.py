from django.db import migrations

ANALYST_GROUP = "HQ analysts"


def create_analyst_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=ANALYST_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_analyst_group, migrations.RunPython.noop)]
