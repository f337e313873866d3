package projects

import (
	"archive/zip"
	"bytes"
	"testing"

	"zhaoshang/modules/core"
)

func zipWith(name string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.Create(name)
	_, _ = f.Write([]byte("<x/>"))
	_ = w.Close()
	return b.Bytes()
}

func TestDetectType(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"png", []byte("\x89PNG\r\n\x1a\n0000"), "image/png"},
		{"docx", zipWith("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx", zipWith("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"plain zip", zipWith("evil.sh"), ""},
		{"ole doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "application/msword"},
		{"exe", []byte("MZ\x90\x00"), ""},
		{"html", []byte("<html><script>alert(1)</script>"), ""},
		{"text", []byte("会议纪要：项目进展顺利"), "text/plain; charset=utf-8"},
	} {
		if got := DetectType(c.data[:min(len(c.data), 512)], bytes.NewReader(c.data), int64(len(c.data))); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2024-03-05", "2024-03-05", true}, {"2024/3/5", "2024-03-05", true}, {"2024.3.5", "2024-03-05", true},
		{"2024年3月5日", "2024-03-05", true}, {" 2024-3-5 ", "2024-03-05", true}, {"", "", true},
		{"2024-02-30", "", false}, {"待定", "", false}, {"3月5日", "", false}, {"2024-13-01", "", false},
		{"2024-02-29", "2024-02-29", true}, {"2023-02-29", "", false},
	} {
		d, err := core.ParseDate(c.in)
		if (err == nil) != c.ok || (c.ok && d.String() != c.want) {
			t.Errorf("core.ParseDate(%q) = %q, %v", c.in, d.String(), err)
		}
	}
}
