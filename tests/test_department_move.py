"""The member departments moved from org to the catalog (org 0002 → catalog 0004 → org 0003):
a database migrated across the move keeps every department, with its id, and every reference
to it — a user's department, an objective's co-responsible departments — both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_departments_and_their_references_survive_the_move_both_ways():
    try:
        old = migrate(BEFORE)
        assert "department" in {m._meta.model_name for m in old.get_app_config("org").get_models()}
        department = old.get_model("org", "Department").objects.create(
            code="move_test", name="迁移测试局", short_name="迁移测试"
        )
        user = old.get_model("auth", "User").objects.create(username="mover")
        old.get_model("accounts", "Profile").objects.create(
            user=user, role="department", department_id=department.pk
        )
        plan = old.get_model("catalog", "Plan").objects.create(
            code="move", name="迁移规划", start_year=2021, end_year=2030
        )
        area = old.get_model("catalog", "Area").objects.create(plan=plan, number=1, name="领域")
        objective = old.get_model("catalog", "Objective").objects.create(
            area=area, number=1, text="目标", lead_department_id=department.pk
        )
        objective.co_departments.add(department)

        new = migrate(leaves())
        moved = new.get_model("catalog", "Department").objects.get(code="move_test")
        assert (moved.pk, moved.name) == (department.pk, "迁移测试局")
        assert (
            new.get_model("accounts", "Profile").objects.get(user__username="mover").department
            == moved
        )
        objective = new.get_model("catalog", "Objective").objects.get(area__plan__code="move")
        assert objective.lead_department == moved
        assert list(objective.co_departments.all()) == [moved]

        # And back: unapplying the move restores org's table with the same rows.
        back = migrate(BEFORE)
        assert back.get_model("org", "Department").objects.get(code="move_test").pk == department.pk
        assert (
            back.get_model("accounts", "Profile").objects.get(user__username="mover").department_id
            == department.pk
        )
    finally:
        migrate(leaves())
