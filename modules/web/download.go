package web

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/core"
)

// XLSX is the MIME type of an .xlsx file.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Download answers an export request: write produces the workbook (into a
// temp file, so that a failure still gets a proper error answer and memory
// stays flat), the download is audited (action "export", the kind, the
// query string and the row count) and the file is streamed. name is the
// Chinese file name without extension; ascii its plain fallback.
func Download(c *fiber.Ctx, a core.Auditor, kind, name, ascii string, write func(io.Writer) (int, error)) error {
	tmp, err := os.CreateTemp("", "zs-export-*.xlsx")
	if err != nil {
		return Fail(c, fmt.Errorf("export: temp file: %w", err))
	}
	// Unlinked at once where the system allows it, so that not even a
	// killed process leaves the file behind; else removed on Close.
	f := &tempFile{File: tmp, removed: os.Remove(tmp.Name()) == nil}
	n, err := write(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	var st os.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if err != nil {
		f.Close()
		return Fail(c, err)
	}
	if a != nil {
		a.Audit(c.UserContext(), Actor(c), core.AuditEntry{Action: "export", Kind: kind,
			Note: fmt.Sprintf("%d 行 %s?%s", n, c.Path(), c.Request().URI().QueryString())})
	}
	day := time.Now().In(core.Zone()).Format("20060102")
	c.Set(fiber.HeaderContentType, XLSX)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.xlsx"; filename*=UTF-8''%s`,
		ascii, day, url.PathEscape(name+"-"+day+".xlsx")))
	c.Set("X-Export-Rows", fmt.Sprint(n))
	// fasthttp closes the stream (and so removes the file) once sent.
	return c.SendStream(f, int(st.Size()))
}

// tempFile removes itself when closed (unless already unlinked).
type tempFile struct {
	*os.File
	removed bool
}

func (f *tempFile) Close() error {
	err := f.File.Close()
	if !f.removed {
		os.Remove(f.Name())
	}
	return err
}
