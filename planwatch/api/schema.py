"""OpenAPI post-processing: document the refusals every operation can answer with, so that
clients (and schemathesis) know a 403 or 404 is part of the contract, not a surprise."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
COMMON_ERRORS = {
    "400": "Invalid request",
    "401": "Not signed in",
    "403": "Not allowed for this user",
    "404": "Not found (or not within the caller's scope)",
    "409": "Refused by the workflow in the object's current state",
    "429": "Too many requests for this token",
}


def add_common_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
