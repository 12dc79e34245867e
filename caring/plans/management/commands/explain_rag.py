from django.core.management.base import BaseCommand

from caring.plans.rules_doc import rules_markdown


class Command(BaseCommand):
    help = "Print, as Markdown, how suggested RAG ratings and flags are worked out."

    def handle(self, *args, **options):
        self.stdout.write(rules_markdown(), ending="")
