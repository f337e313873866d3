package projects

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"zhaoshang/modules/core"
)

// MaxAttachment is the size limit of one attachment.
const MaxAttachment = 10 << 20

// AttachmentStore keeps files under <ZS_DATA>/attachments/<project>/<id>;
// the project document lists them (name, type, size, who, when).
type AttachmentStore struct{ Dir string }

var safeID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// Allowed content types, recognised from the bytes, not the file name.
var allowedTypes = map[string]string{
	"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/msword": ".doc", "text/plain; charset=utf-8": ".txt",
}

// DetectType sniffs a file's type from its first bytes (Office Open XML is
// told apart by the zip's member names); "" means not allowed.
func DetectType(head []byte, full io.ReaderAt, size int64) string {
	ct := http.DetectContentType(head)
	switch {
	case ct == "application/zip":
		zr, err := zip.NewReader(full, size)
		if err != nil {
			return ""
		}
		for _, f := range zr.File {
			switch {
			case strings.HasPrefix(f.Name, "word/"):
				return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
			case strings.HasPrefix(f.Name, "xl/"):
				return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			case strings.HasPrefix(f.Name, "ppt/"):
				return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
			}
		}
		return ""
	case ct == "application/octet-stream" && bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "application/msword" // OLE2: .doc / .xls of old Office
	case ct == "text/plain; charset=utf-8" && utf8.Valid(head):
		return ct
	}
	if _, ok := allowedTypes[ct]; ok {
		return ct
	}
	return ""
}

// Add stores a file for project p (already scope-checked) and records it.
func (s *Service) AddAttachment(ctx context.Context, a core.Actor, scope core.Scope, store *AttachmentStore, id, name string, data []byte) (*Project, error) {
	if len(data) == 0 {
		return nil, core.Invalid("file", "文件为空")
	}
	if len(data) > MaxAttachment {
		return nil, core.Invalid("file", "文件超过 10 MB 上限")
	}
	// No directories, no control or bidirectional characters: "\u202etxt.exe"
	// is stored, listed and downloaded as "txt.exe".
	name = core.CleanLine(filepath.Base(strings.ReplaceAll(core.CleanLine(name), "\\", "/")))
	if name == "" || name == "." || name == "/" || utf8.RuneCountInString(name) > core.MaxFileName {
		return nil, core.Invalid("file", "文件名无效（须为 1–%d 字）", core.MaxFileName)
	}
	head := data[:min(len(data), 512)]
	ct := DetectType(head, bytes.NewReader(data), int64(len(data)))
	if ct == "" {
		return nil, core.Invalid("file", "不支持的文件类型（按内容识别）：仅限 PDF、图片、Word、Excel、PPT、纯文本")
	}
	if _, err := s.Get(ctx, scope, id); err != nil {
		return nil, err
	}
	if !safeID.MatchString(id) {
		return nil, core.Invalid("id", "项目编号无效")
	}
	att := Attachment{ID: core.NewID(), Name: name, ContentType: ct, Size: int64(len(data)), By: a.User,
		At: time.Now().UTC().Truncate(time.Millisecond)}
	dir := filepath.Join(store.Dir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("projects: attachment dir: %w", err)
	}
	// Write aside and rename: a failed write never leaves half a file listed.
	tmp := filepath.Join(dir, att.ID+".part")
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("projects: save attachment: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, att.ID)); err != nil {
		return nil, fmt.Errorf("projects: save attachment: %w", err)
	}
	p, err := s.mutate(ctx, a, scope, id, func(p *Project) error {
		if len(p.Attachments) >= 50 {
			return core.Invalid("file", "每个项目最多 50 个附件")
		}
		p.Attachments = append(p.Attachments, att)
		return nil
	})
	if err != nil {
		_ = os.Remove(filepath.Join(dir, att.ID))
		return nil, err
	}
	return p, nil
}

// Open returns an attachment of a project the scope may see.
func (s *Service) OpenAttachment(ctx context.Context, scope core.Scope, store *AttachmentStore, id, attID string) (*Attachment, *os.File, error) {
	p, err := s.Get(ctx, scope, id)
	if err != nil {
		return nil, nil, err
	}
	for i := range p.Attachments {
		if p.Attachments[i].ID == attID && safeID.MatchString(attID) && safeID.MatchString(id) {
			f, err := os.Open(filepath.Join(store.Dir, id, attID))
			if err != nil {
				return nil, nil, fmt.Errorf("projects: attachment %s: %w", attID, core.ErrNotFound)
			}
			return &p.Attachments[i], f, nil
		}
	}
	return nil, nil, fmt.Errorf("projects: attachment %s: %w", attID, core.ErrNotFound)
}
