from django.core.management.base import BaseCommand

from caring.plans.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the illustrative 'Caring Together' demo plan (slug caring-together) and the users "
        "admin, lead, owner, viewer and data. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="Password for the demo users (default: a new random one, printed)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo plan and load it afresh."
        )

    def handle(self, *args, password=None, reset=False, **options):
        result = demo_load(password=password, reset=reset)
        verb = "Loaded" if result.loaded else "Already loaded (use --reset to reload)"
        actions = result.strategy.versions.get(is_current=True).actions.count()
        self.stdout.write(f"{verb}: {result.strategy.title} ({actions} actions), illustrative.")
        self.stdout.write(f"Users: {', '.join(result.usernames)}")
        if password is None:
            self.stdout.write(f"Password for all demo users: {result.password}")
        else:
            self.stdout.write("Password for all demo users: as given with --password")
