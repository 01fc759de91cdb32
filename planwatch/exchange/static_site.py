"""`planwatch publish --out DIR`: the public pages as plain files for any web server."""

import shutil
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils import translation

from planwatch.catalog.models import Indicator
from planwatch.exchange.public import public_documents, render_index, render_indicator
from planwatch.exchange.publication import commented, public_values, published
from planwatch.monitoring.formats import sdmx_csv

ASSETS = ["planwatch/site.css", "planwatch/charts.js", "vendor/chart.umd.min.js"]


def write_site(out: Path) -> dict:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "indicators").mkdir(parents=True)
    (out / "reports").mkdir()
    with translation.override("zh-hans"):
        (out / "index.html").write_text(render_index(root="", static=True), encoding="utf-8")
        spans = published()
        for indicator in Indicator.objects.filter(pk__in=spans):
            page = render_indicator(indicator, root="../", static=True)
            (out / "indicators" / f"{indicator.code}.html").write_text(page, encoding="utf-8")
    for asset in ASSETS:
        found = finders.find(asset)
        if found:
            target = out / "static" / asset
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, target)
    documents = public_documents()
    for document in documents:
        shutil.copyfile(document["path"], out / "reports" / document["name"])
    (out / "sdmx.csv").write_bytes(sdmx_csv(public_values(), comments_for=commented()))
    return {"indicators": len(published()), "reports": len(documents)}
