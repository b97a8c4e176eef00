"""Officers' import of businesses from the spreadsheets agencies keep (CSV or XLSX).

    readers     the file's rows, streamed (format, encoding and delimiter detected)
    headers     which column is which, from Indonesian headings
    values      one cell into one value (money, phones, NIK, years...)
    rows        one row into one business, or the reasons it cannot be one
    scratch     the private SQLite file beside an upload: checked rows ready to write, and verdicts
    duplicates  likely duplicates, in the registry and within the file
    check       the preview: every row judged, nothing written to the registry; the report
    commit      the previewed rows written in one transaction, all or none
    report      the report in words, for the command line and the page
    batches     the web flow (upload, check again, commit) and the gate to a batch

The file is read once, by the check; neither step holds the file or its rows in memory.
"""
