"""Print a PDF held in memory: no temporary file ever holds the record (docs/security.md 17).

A paper printer gets each page drawn at its resolution. The print dialog's
"Print to File (PDF)" is a printer too, but drawing there would make the file
a picture of the record (9 MB a page at 1200 dpi, its text no longer
searchable), so that file gets the record's own bytes: text and font subsets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from console.errors import ConsoleError
from console.export.files import ExportError, write_pdf


class PrintFileError(ConsoleError, RuntimeError):
    """The PDF file chosen in the print dialog could not be written (the message says why)."""


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of `pdf` on `printer`, fitted to its page; returns pages printed."""
    data = QByteArray(bytes(pdf))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            raise RuntimeError("the record could not be prepared for printing")
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            _write_file(pdf, Path(printer.outputFileName()))
        else:
            _draw(document, printer)
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


def _write_file(pdf: bytes, path: Path) -> None:
    try:
        write_pdf(bytes(pdf), path)
    except ExportError as exc:
        raise PrintFileError(exc.message) from exc


def _draw(document: QPdfDocument, printer: QPrinter) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    try:
        dpi = printer.resolution()
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(int(points.width() / 72 * dpi), int(points.height() / 72 * dpi))
            image = document.render(index, size)
            target = QRectF(painter.viewport())
            scale = min(target.width() / image.width(), target.height() / image.height())
            painter.drawImage(QRectF(0, 0, image.width() * scale, image.height() * scale), image)
    finally:
        painter.end()
