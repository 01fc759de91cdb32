from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset must be whole numbers ≥ 0: a typo is an error, not silently page one."""

    max_limit = 5000

    def _strict(self, request, name):
        raw = request.query_params.getlist(name)
        if not raw:
            return
        if len(raw) > 1 or not raw[0].isdigit():
            raise ValidationError({name: "must be one whole number ≥ 0"})

    def paginate_queryset(self, queryset, request, view=None):
        self._strict(request, self.limit_query_param)
        self._strict(request, self.offset_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
        return parameters
