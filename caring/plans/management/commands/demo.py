from django.core.management.base import BaseCommand
from django.db import transaction

from caring.accounts.models import User
from caring.carers.demo import carers_demo_load, census_demo_load
from caring.governance.demo import governance_delete, governance_demo_load, organisations_by_key
from caring.indicators.demo import indicators_delete, indicators_demo_load
from caring.plans import demo_data
from caring.plans.demo import demo_load
from caring.plans.models import Strategy
from caring.reports.services import demo_reports_delete


class Command(BaseCommand):
    help = (
        "Load the illustrative 'Caring Together' demo plan (slug caring-together), its scrutiny "
        "meetings and recommendations, and the users admin, lead, owner, viewer and data. Safe "
        "to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="Password for the demo users (default: a new random one, printed)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo plan and load it afresh."
        )

    @transaction.atomic
    def handle(self, *args, password=None, reset=False, **options):
        if reset:
            existing = Strategy.objects.filter(slug=demo_data.STRATEGY["slug"]).first()
            if existing:
                demo_reports_delete(existing)  # issued reports are frozen: demo data only
                indicators_delete(existing)
                governance_delete(existing)
        result = demo_load(password=password, reset=reset)
        governance_demo_load(
            strategy=result.strategy,
            lead=User.objects.get(username="lead"),
            organisations_by_key=organisations_by_key(demo_data.ORGANISATIONS),
        )
        indicators_demo_load(
            strategy=result.strategy,
            lead=User.objects.get(username="lead"),
            data_officer=User.objects.get(username="data"),
        )
        census_demo_load()  # the real Rotherham census files (published statistics)
        carers_demo_load(result.strategy)  # synthetic records of invented people, so labelled
        verb = "Loaded" if result.loaded else "Already loaded (use --reset to reload)"
        actions = result.strategy.versions.get(is_current=True).actions.count()
        meetings = result.strategy.meetings.count()
        self.stdout.write(
            f"{verb}: {result.strategy.title} ({actions} actions, {meetings} meetings), "
            "illustrative."
        )
        self.stdout.write(f"Users: {', '.join(result.usernames)}")
        if password is None:
            self.stdout.write(f"Password for all demo users: {result.password}")
        else:
            self.stdout.write("Password for all demo users: as given with --password")
