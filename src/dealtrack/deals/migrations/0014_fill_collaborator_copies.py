# Existing links take their copies from their deals (what deals.collaborator_copies keeps from now on).

from django.db import migrations
from django.db.models import OuterRef, Subquery

COPIES = {"deal_owner_id": "owner_id", "deal_created_at": "created_at", "deal_closed_at": "closed_at"}


def copy_deal_fields(apps, schema_editor):
    alias = schema_editor.connection.alias
    Deal = apps.get_model("deals", "Deal")
    DealCollaborator = apps.get_model("deals", "DealCollaborator")
    deal = Deal.objects.using(alias).filter(pk=OuterRef("deal_id"))
    DealCollaborator.objects.using(alias).update(
        **{column: Subquery(deal.values(field)[:1]) for column, field in COPIES.items()}
    )


class Migration(migrations.Migration):

    dependencies = [
        ("deals", "0013_collaborator_deal_copies"),
    ]

    operations = [
        migrations.RunPython(copy_deal_fields, migrations.RunPython.noop, elidable=True),
    ]
