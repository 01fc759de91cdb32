"""Messages a reporter understands: the indicator with code, name and unit, the group in words,
the column as the template labels it, a link back to the cell; the preview in words too."""

from django.urls import reverse

from planwatch.catalog.models import Indicator
from planwatch.collection.batches import import_file
from planwatch.collection.models import ImportBatch
from planwatch.org.models import OrgUnit


def test_an_import_error_names_indicator_unit_group_and_column(rounds, write_csv):
    result, _ = import_file(write_csv(["W1-10,220112,2024,,,urban,,120,100,"]))
    (problem,) = result.problems
    text = str(problem)
    assert text.startswith("第2行“分子”列（W1-10 孕产妇系统管理率（%） · 双阳区 · 城镇）：")
    assert "分子（120）大于分母（100）" in text
    w110 = Indicator.objects.get(code="W1-10")
    district = OrgUnit.objects.get(code="220112")
    prefix = f"v-{w110.pk}-{district.pk}-_-_-urban"
    assert problem.link == f"/collection/rounds/2024/entry/?cell={prefix}#cell-{prefix}"


def test_age_groups_are_named_as_the_catalog_names_them(rounds, write_csv):
    c101 = Indicator.objects.filter(age_groups__isnull=False).exclude(age_groups=[]).first()
    group = c101.age_groups[0]
    line = f"{c101.code},220112,2024,,{group['code']},,abc,,,"
    (problem,) = import_file(write_csv([line]))[0].problems
    assert f"· {group['name']}）" in str(problem)
    assert "“数值”列" in str(problem)


def test_upload_page_links_to_the_cell_and_previews_in_words(clients, rounds, write_csv):
    bad = write_csv(["W1-10,220112,2024,,,rural,,120,100,"], name="bad.csv")
    with bad.open("rb") as fh:
        response = clients["health"].post(reverse("collection:upload", args=[2024]), {"file": fh})
    page = clients["health"].get(response["Location"])
    html = page.content.decode()
    assert "孕产妇系统管理率" in html and "农村" in html and "?cell=v-" in html
    # The link opens the cell's group on the entry page.
    link = ImportBatch.objects.get(file_name="bad.csv").errors[0]["link"]
    entry = clients["health"].get(link)
    opened = [g for g in entry.context["groups"] if g.open]
    prefix = link.split("?cell=")[1].split("#")[0]
    assert any(r.field_prefix == prefix for g in opened for r in g.rows)

    good = write_csv(
        [
            "W1-10,220112,2024,,,urban,,60,100,",
            "W1-10,220112,2024,,,rural,,50,100,",
            "W1-10,220112,2024,,,,,110,200,",
        ],
        name="good.csv",
    )
    with good.open("rb") as fh:
        response = clients["health"].post(reverse("collection:upload", args=[2024]), {"file": fh})
    html = clients["health"].get(response["Location"]).content.decode()
    assert "城镇" in html and "农村" in html
    assert ">urban<" not in html and ">rural<" not in html
