from django.db import migrations


def create_roles(apps, schema_editor):
    from practices.roles import ensure_group_permissions

    ensure_group_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_submission_workflow"),
        ("home", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
