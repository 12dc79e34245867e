from django.core.management.base import BaseCommand, CommandError

from caring.plans.synthetic import PREFIX, generate


class Command(BaseCommand):
    help = (
        "Make national-scale synthetic delivery plans for benchmarks: strategies synthetic-001, "
        "synthetic-002, ... marked illustrative, each with one plan of actions and monthly "
        "updates. Does nothing if they already exist, unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, default=150, help="Strategies (default 150).")
        parser.add_argument(
            "--actions", type=int, default=200, help="Actions per plan (default 200)."
        )
        parser.add_argument(
            "--months", type=int, default=24, help="Monthly updates per action (default 24)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier synthetic data first."
        )
        parser.add_argument(
            "--prefix",
            default=PREFIX,
            help=f"Slug prefix: strategies are PREFIX-001, ... (default {PREFIX}).",
        )

    def handle(self, *args, councils, actions, months, seed, replace, prefix, **options):
        if councils < 1 or actions < 1 or months < 1:
            raise CommandError("--councils, --actions and --months must each be at least 1.")
        if councils > 999 or actions > 9999:
            raise CommandError("At most 999 councils and 9999 actions per plan.")
        self.stdout.write(
            f"Making {councils} synthetic strategies with {actions} actions and {months} monthly "
            f"updates each (seed {seed})..."
        )
        result = generate(
            councils=councils,
            actions=actions,
            months=months,
            seed=seed,
            replace=replace,
            prefix=prefix,
            log=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(result.message) if result.created else result.message)
