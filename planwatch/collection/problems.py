"""What an import says about a file: hard errors (nothing is stored) and soft warnings."""

from dataclasses import asdict, dataclass

from planwatch.collection.labels import column_label

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    message: str
    # The caller's reference for the row: a file's row number (header = 1), the entry form's
    # row key, a DHIS2 dataValue's index (collection/sources.py)
    row: int | str | None = None
    column: str | None = None
    level: str = ERROR
    subject: str = ""  # the cell in words: indicator (code, name, unit) · unit · group
    link: str = ""  # back to the cell in the entry form
    where: str = ""  # the row in words when its reference is no row number

    def __str__(self) -> str:
        where = []
        if self.where:
            where.append(self.where)
        elif self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{column_label(self.column)}”列")
        if self.subject:
            where.append(f"（{self.subject}）")
        prefix = "".join(where)
        return f"{prefix}：{self.message}" if prefix else self.message

    def to_dict(self) -> dict:
        return asdict(self) | {"text": str(self)}


class FileRefused(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(message)
