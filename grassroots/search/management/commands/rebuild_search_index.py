"""`manage.py rebuild_search_index [--kind member …]`: rebuild the search index from the records (after an
import, a restore, or a change of how a kind is indexed)."""

from django.core.management.base import BaseCommand

from grassroots.search import backend, services
from grassroots.search.kinds import KINDS


class Command(BaseCommand):
    help = "重建搜索索引（全部或指定类别）"

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=list(KINDS), help="只重建此类别（可重复）")

    def handle(self, *args, kind=None, **options):
        backend.ensure_structures()
        done = services.rebuild(kind)
        for key, count in done.items():
            self.stdout.write(f"{key}: {count}")
