"""`manage.py load_roadmap [PATH] [--check]`: load the roadmap content from seeds/."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.loader import SeedError, load_roadmap, read_roadmap, roadmap_folders


class Command(BaseCommand):
    help = (
        "Validate every seeds file, then upsert the roadmap content by key in one "
        "transaction. Items removed from the files are retired, never deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", help="a roadmap folder or a folder of them")
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")

    def handle(self, *args, path: str | None = None, check: bool = False, **options) -> None:
        root = Path(path) if path else Path(settings.SEEDS_DIR)
        if not root.is_dir():
            raise CommandError(f"{root}: not a folder")
        folders = roadmap_folders(root)
        if not folders:
            raise CommandError(f"{root}: no roadmap folder (a folder holding roadmap.toml)")
        bundles, problems = [], []
        for folder in folders:
            try:
                bundles.append(read_roadmap(folder))
            except SeedError as exc:
                problems.extend(exc.problems)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s) found; nothing was written.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(bundles)} roadmap(s) valid."))
            return
        for bundle in bundles:
            counts = load_roadmap(bundle)
            self.report(bundle.roadmap["key"], counts)

    def report(self, key: str, counts: dict) -> None:
        total = {"created": 0, "updated": 0, "retired": 0, "unchanged": 0}
        lines = []
        for name, c in counts.items():
            for field in total:
                total[field] += getattr(c, field)
            if c.changed:
                lines.append(
                    f"  {name}: {c.created} created, {c.updated} updated, "
                    f"{c.retired} retired, {c.unchanged} unchanged"
                )
        if not any(c.changed for c in counts.values()):
            self.stdout.write(f"{key}: no changes ({total['unchanged']} rows unchanged).")
            return
        self.stdout.write(
            f"{key}: {total['created']} created, {total['updated']} updated, "
            f"{total['retired']} retired, {total['unchanged']} unchanged."
        )
        for line in lines:
            self.stdout.write(line)
