// Package sheet reads the rows of an uploaded ledger: .xlsx through
// excelize's streaming Rows iterator (never GetRows) and .csv in UTF-8 (with
// or without BOM) or GB18030/GBK (detected). It refuses hostile or unusable
// files up front with a typed *Error carrying a one-line Chinese message, and
// keeps memory bounded: an .xlsx's zip central directory is checked against an
// uncompressed-size cap before excelize opens it, and rows/cells are capped
// while streaming.
//
// Formulas are never evaluated: excelize's Rows returns the value the writing
// application cached in the file.
package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// MaxCellChars is Excel's own limit on the characters in one cell.
const MaxCellChars = 32767

// Limits bound what a file may contain. Zero fields take the defaults.
type Limits struct {
	MaxRows     int   // non-blank rows per sheet (header and title rows included)
	MaxCell     int   // characters (runes) per cell
	MaxUnzipped int64 // total uncompressed bytes of all entries of an .xlsx
}

// DefaultLimits are the limits used when a field of Limits is zero.
var DefaultLimits = Limits{MaxRows: 200_000, MaxCell: MaxCellChars, MaxUnzipped: 200 << 20}

func (l Limits) withDefaults() Limits {
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultLimits.MaxRows
	}
	if l.MaxCell <= 0 {
		l.MaxCell = DefaultLimits.MaxCell
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = DefaultLimits.MaxUnzipped
	}
	return l
}

// Error is a refusal with a one-line Chinese message. Compare kinds with
// errors.Is against the Err* values (only Code is compared).
type Error struct {
	Code    string // stable machine code, e.g. "zip_bomb"
	Message string // one line, Chinese, shown to the user / printed by the CLI
	Row     int    // 1-based spreadsheet row, 0 when not about a row
	Col     int    // 1-based column, 0 when not about a cell
}

func (e *Error) Error() string { return e.Message }

// Is matches errors of the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Kinds of refusal, for errors.Is.
var (
	ErrNotXLSX     = &Error{Code: "not_xlsx", Message: "文件不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）"}
	ErrLegacyXLS   = &Error{Code: "legacy_xls", Message: "不支持旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后再导入"}
	ErrUnsupported = &Error{Code: "unsupported", Message: "只支持 .xlsx 和 .csv 文件"}
	ErrZipBomb     = &Error{Code: "zip_bomb", Message: "文件解压后过大，拒绝读取"}
	ErrTooManyRows = &Error{Code: "too_many_rows", Message: "行数超过上限"}
	ErrCellTooLong = &Error{Code: "cell_too_long", Message: "单元格内容过长"}
	ErrEmpty       = &Error{Code: "empty", Message: "工作表没有任何数据"}
	ErrNoSheet     = &Error{Code: "no_sheet", Message: "找不到指定的工作表"}
	ErrBadCSV      = &Error{Code: "bad_csv", Message: "CSV 文件格式错误"}
)

func refuse(kind *Error, row, col int, format string, args ...any) *Error {
	return &Error{Code: kind.Code, Message: fmt.Sprintf(format, args...), Row: row, Col: col}
}

// Row is one non-blank row: its 1-based row number as the spreadsheet
// application shows it, and its cells (trailing empty cells trimmed).
type Row struct {
	Num   int
	Cells []string
}

// Cell returns cell i (0-based) or "" past the end of the row.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Encodings reported by Book.Encoding.
const (
	EncXLSX    = "xlsx"
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 BOM"
	EncGB18030 = "GB18030"
)

// Book is an opened workbook or CSV file.
type Book struct {
	xf  *excelize.File
	csv *io.SectionReader
	enc string
	lim Limits
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open opens a file by its name's extension: .csv as CSV, .xlsx (and .xlsm)
// as a workbook, .xls is refused with advice; an unknown extension is sniffed
// (zip → xlsx, else refused).
func Open(name string, r io.ReaderAt, size int64, lim Limits) (*Book, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return OpenCSV(r, size, lim)
	case ".xlsx", ".xlsm":
		return OpenXLSX(r, size, lim)
	case ".xls", ".et":
		// WPS and Excel happily save an .xlsx under .xls; trust the bytes.
		if head := readHead(r, size); bytes.HasPrefix(head, zipMagic) {
			return OpenXLSX(r, size, lim)
		}
		return nil, ErrLegacyXLS
	}
	if head := readHead(r, size); bytes.HasPrefix(head, zipMagic) {
		return OpenXLSX(r, size, lim)
	}
	return nil, ErrUnsupported
}

func readHead(r io.ReaderAt, size int64) []byte {
	head := make([]byte, min(size, 8))
	n, _ := r.ReadAt(head, 0)
	return head[:n]
}

// OpenXLSX opens an .xlsx after checking its magic bytes and the total
// uncompressed size declared in its zip central directory (archive/zip
// refuses entries that inflate past their declared size, so the declaration
// cannot lie). Nothing is inflated before the check.
func OpenXLSX(r io.ReaderAt, size int64, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	head := readHead(r, size)
	if bytes.HasPrefix(head, oleMagic) {
		return nil, ErrLegacyXLS
	}
	if !bytes.HasPrefix(head, zipMagic) {
		return nil, ErrNotXLSX
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, ErrNotXLSX
	}
	var total uint64
	hasTypes := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipped) {
			return nil, refuse(ErrZipBomb, 0, 0, "文件解压后超过 %d MB，拒绝读取（可能是压缩炸弹或过大的工作簿）", lim.MaxUnzipped>>20)
		}
		if f.Name == "[Content_Types].xml" {
			hasTypes = true
		}
	}
	if !hasTypes {
		return nil, ErrNotXLSX
	}
	xf, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:   lim.MaxUnzipped,
		ShortDatePattern: "yyyy-mm-dd", // built-in date format 14 would otherwise print mm-dd-yy
		CultureInfo:      excelize.CultureNameZhCN,
	})
	if err != nil {
		if errors.Is(err, excelize.ErrOptionsUnzipSizeLimit) || strings.Contains(err.Error(), "unzip size") {
			return nil, refuse(ErrZipBomb, 0, 0, "文件解压后超过 %d MB，拒绝读取（可能是压缩炸弹或过大的工作簿）", lim.MaxUnzipped>>20)
		}
		return nil, ErrNotXLSX
	}
	if len(xf.GetSheetList()) == 0 {
		xf.Close()
		return nil, ErrNotXLSX
	}
	return &Book{xf: xf, enc: EncXLSX, lim: lim}, nil
}

// OpenCSV opens a CSV file, detecting its encoding: valid UTF-8 (a BOM is
// dropped) is read as UTF-8, anything else is decoded as GB18030 (a superset
// of GBK and GB2312). The file is streamed twice (detect, then read), never
// held in memory whole.
func OpenCSV(r io.ReaderAt, size int64, lim Limits) (*Book, error) {
	lim = lim.withDefaults()
	sr := io.NewSectionReader(r, 0, size)
	enc, err := detectEncoding(sr)
	if err != nil {
		return nil, err
	}
	return &Book{csv: sr, enc: enc, lim: lim}, nil
}

func detectEncoding(sr *io.SectionReader) (string, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(sr, 0, sr.Size()), 64<<10)
	enc := EncUTF8
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		enc = EncUTF8BOM
	}
	for {
		c, n, err := br.ReadRune()
		if err == io.EOF {
			return enc, nil
		}
		if err != nil {
			return "", refuse(ErrBadCSV, 0, 0, "CSV 文件读取失败：%v", err)
		}
		if c == utf8.RuneError && n == 1 {
			return EncGB18030, nil
		}
	}
}

// Encoding is EncXLSX for workbooks, else the detected CSV encoding.
func (b *Book) Encoding() string { return b.enc }

// Sheets lists the sheet names in workbook order; a CSV has one sheet, "".
func (b *Book) Sheets() []string {
	if b.xf != nil {
		return b.xf.GetSheetList()
	}
	return []string{""}
}

// Close releases the workbook (and excelize's temporary files).
func (b *Book) Close() error {
	if b.xf != nil {
		return b.xf.Close()
	}
	return nil
}

// Rows streams the non-blank rows of a sheet ("" = the first sheet).
func (b *Book) Rows(sheet string) (*Rows, error) {
	rs := &Rows{lim: b.lim}
	if b.xf != nil {
		if sheet == "" {
			sheet = b.xf.GetSheetList()[0]
		}
		if idx, err := b.xf.GetSheetIndex(sheet); err != nil || idx < 0 {
			return nil, refuse(ErrNoSheet, 0, 0, "找不到工作表“%s”", sheet)
		}
		xr, err := b.xf.Rows(sheet)
		if err != nil {
			return nil, refuse(ErrNotXLSX, 0, 0, "工作表“%s”无法读取：%v", sheet, err)
		}
		rs.closer = xr.Close
		num := 0
		rs.next = func() ([]string, int, bool, error) {
			if !xr.Next() {
				return nil, 0, false, xr.Error()
			}
			num++ // excelize yields the gaps between <row> elements too
			cells, err := xr.Columns()
			return cells, num, true, err
		}
		return rs, nil
	}
	var src io.Reader = io.NewSectionReader(b.csv, 0, b.csv.Size())
	br := bufio.NewReaderSize(src, 64<<10)
	switch b.enc {
	case EncUTF8BOM:
		br.Discard(3)
	case EncGB18030:
		br = bufio.NewReaderSize(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), 64<<10)
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(br)
	cr.FieldsPerRecord = -1
	// Strict quotes: a malformed file is refused with its line, not guessed.
	// encoding/csv skips blank lines; the row number is rebuilt from the
	// record's first line so that it matches what Excel shows (a quoted
	// multi-line cell stays one row).
	num, endLine := 0, 0
	rs.next = func() ([]string, int, bool, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, 0, false, nil
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, 0, false, refuse(ErrBadCSV, line, 0, "CSV 文件第 %d 行格式错误（引号不匹配）", line)
		}
		start, _ := cr.FieldPos(0)
		num += 1 + max(start-endLine-1, 0)
		last, _ := cr.FieldPos(len(rec) - 1)
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		return rec, num, true, nil
	}
	return rs, nil
}

// sniffComma picks tab or semicolon when the first line has those and no comma.
func sniffComma(br *bufio.Reader) rune {
	b, _ := br.Peek(4096)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.IndexByte(b, ',') < 0 {
		if bytes.IndexByte(b, '\t') >= 0 {
			return '\t'
		}
		if bytes.IndexByte(b, ';') >= 0 {
			return ';'
		}
	}
	return ','
}

// Rows iterates the non-blank rows of one sheet. Use as
//
//	for rs.Next() { row := rs.Row() }
//	if err := rs.Err(); err != nil { ... }
//
// Blank rows are skipped and counted (Blank); blank rows after the last
// non-blank row are not counted.
type Rows struct {
	next    func() (cells []string, num int, ok bool, err error)
	closer  func() error
	lim     Limits
	num     int // spreadsheet row number of the last raw row read
	count   int // non-blank rows yielded
	blank   int // blank rows between non-blank rows
	pending int // blank rows not yet followed by a non-blank one
	row     Row
	err     error
	done    bool
}

// Next advances to the next non-blank row.
func (rs *Rows) Next() bool {
	if rs.done {
		return false
	}
	for {
		cells, num, ok, err := rs.next()
		if err != nil || !ok {
			rs.done = true
			if err != nil {
				if _, typed := err.(*Error); !typed {
					err = refuse(ErrNotXLSX, rs.num+1, 0, "第 %d 行无法读取：%v", rs.num+1, err)
				}
				rs.err = err
			} else if rs.count == 0 {
				rs.err = ErrEmpty
			}
			return false
		}
		rs.pending += max(num-rs.num-1, 0)
		rs.num = num
		cells = trimRight(cells)
		if len(cells) == 0 {
			rs.pending++
			continue
		}
		for i, c := range cells {
			if len(c) > rs.lim.MaxCell && utf8.RuneCountInString(c) > rs.lim.MaxCell {
				rs.done = true
				rs.err = refuse(ErrCellTooLong, rs.num, i+1, "第 %d 行 %s 列的单元格有 %d 个字符，超过上限 %d", rs.num, colName(i+1), utf8.RuneCountInString(c), rs.lim.MaxCell)
				return false
			}
		}
		rs.count++
		if rs.count > rs.lim.MaxRows {
			rs.done = true
			rs.err = refuse(ErrTooManyRows, rs.num, 0, "行数超过上限 %d 行，请拆分文件后分批导入", rs.lim.MaxRows)
			return false
		}
		rs.blank += rs.pending
		rs.pending = 0
		rs.row = Row{Num: rs.num, Cells: cells}
		return true
	}
}

// Row is the current row.
func (rs *Rows) Row() Row { return rs.row }

// Err is the error that stopped the iteration, nil at a clean end. A sheet
// without any non-blank row ends with ErrEmpty.
func (rs *Rows) Err() error { return rs.err }

// Blank counts the blank rows skipped so far between non-blank rows.
func (rs *Rows) Blank() int { return rs.blank }

// Close releases the iterator.
func (rs *Rows) Close() error {
	rs.done = true
	if rs.closer != nil {
		err := rs.closer()
		rs.closer = nil
		if _, typed := err.(*Error); err != nil && !typed && !errors.Is(err, excelize.ErrMaxRows) {
			return err
		}
	}
	return nil
}

func trimRight(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}

// colName turns 1 into "A", 28 into "AB".
func colName(n int) string {
	name, err := excelize.ColumnNumberToName(n)
	if err != nil {
		return fmt.Sprint(n)
	}
	return name
}
