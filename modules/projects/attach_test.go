package projects_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"zhaoshang/app/testapp"
)

func upload(t *testing.T, c *testapp.Client, id, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest("POST", c.App.URL+"/projects/"+id+"/attachments", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.CSRF)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	return resp.StatusCode, string(b) + loc
}

func TestAttachments(t *testing.T) {
	e := setup(t)
	id := create(t, e.officer, map[string]any{"type": "industry", "name": "附件项目", "unit": "kfq"})["id"].(string)
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 1000)...)
	if st, _ := upload(t, e.officer, id, "商业计划书.pdf", pdf); st != 303 {
		t.Fatalf("pdf upload: %d", st)
	}
	// A program renamed to .pdf is refused by content, and nothing is recorded.
	exe := append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 600)...)
	if st, _ := upload(t, e.officer, id, "合同.pdf", exe); st != 303 {
		t.Fatalf("exe upload: %d", st)
	}
	// Over the 10 MB limit: 413.
	if st, _ := upload(t, e.officer, id, "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...)); st != 413 {
		t.Fatalf("oversized upload: %d, want 413", st)
	}
	// Another unit's officer may neither upload nor download.
	if st, _ := upload(t, e.other, id, "x.pdf", pdf); st != 403 {
		t.Fatalf("foreign upload: %d, want 403", st)
	}
	_, body := e.officer.Do("GET", "/api/v1/projects/"+id, nil, nil)
	if strings.Count(body, `"content_type":`) != 1 || !strings.Contains(body, "商业计划书.pdf") || strings.Contains(body, "合同.pdf") {
		t.Fatalf("attachments recorded: %s", body)
	}
	i := strings.Index(body, `"attachments":[{"id":"`)
	attID := body[i+len(`"attachments":[{"id":"`):]
	attID = attID[:strings.IndexByte(attID, '"')]
	st, got := e.officer.Do("GET", "/projects/"+id+"/attachments/"+attID, nil, nil)
	if st != 200 || !strings.HasPrefix(got, "%PDF-1.4") {
		t.Fatalf("download: %d", st)
	}
	if st, _ := e.other.Do("GET", "/projects/"+id+"/attachments/"+attID, nil, nil); st != 403 {
		t.Fatalf("foreign download: %d", st)
	}
}
