# Webhook signing secrets are stored encrypted (webhooks.secret_box): the column grows to hold
# a Fernet token, and every secret stored in clear until now is encrypted in place (receivers
# keep the same secret).

from django.db import migrations, models

import webhooks.models


def encrypt_clear_secrets(apps, schema_editor):
    from webhooks.secret_box import is_encrypted, webhook_secret_encrypt

    Webhook = apps.get_model("webhooks", "Webhook")
    for webhook in Webhook.objects.only("secret"):
        if not is_encrypted(webhook.secret):
            webhook.secret = webhook_secret_encrypt(webhook.secret)
            webhook.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhook",
            name="secret",
            field=models.CharField(
                default=webhooks.models._new_secret,
                editable=False,
                max_length=300,
                verbose_name="signing secret (encrypted)",
            ),
        ),
        migrations.RunPython(encrypt_clear_secrets, migrations.RunPython.noop),
    ]
