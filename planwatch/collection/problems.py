"""What an import says about a file: hard errors (nothing is stored) and soft warnings."""

from dataclasses import asdict, dataclass

from planwatch.collection.labels import column_label

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # the row as the user's spreadsheet numbers it (header = 1)
    column: str | None = None
    level: str = ERROR
    subject: str = ""  # the cell in words: indicator (code, name, unit) · unit · group
    link: str = ""  # back to the cell in the entry form

    def __str__(self) -> str:
        where = []
        if self.row is not None:
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
