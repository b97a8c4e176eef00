"""What stops an import as a whole. A bad row never raises: it is listed in the report with its reason."""


class ImportFileError(Exception):
    """The file cannot be read as a list of businesses (wrong format, broken, empty, too big...).

    The message is for the officer, in Indonesian; nothing has been written when this is raised."""


class CommitRefused(Exception):
    """The commit was not started or was rolled back as a whole; the message says why."""


class ChangedSincePreview(CommitRefused):
    """Businesses written since the preview duplicate rows the preview did not flag: check again."""
