package imports

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// AuditKind names import batches in the audit log.
const AuditKind = "imports"

// Handlers serves the import wizard, the history and the imports API.
type Handlers struct {
	Svc        *Service
	Audit      core.Auditor
	UnitName   func(id string) string
	Units      func() [][2]string // every unit (id, name) in matrix order
	PersonName func(username string) string
}

// Routes is the module's route table, each route with the action it needs.
// All are for signed-in users: the engine applies the caller's scope to every row,
// and a batch is seen by its importer and the users of its unit only.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/imports", web.Signed, h.historyPage),
		web.GET("/imports/new", web.Signed, h.newPage),
		web.POST("/imports/new", web.Signed, h.uploadForm),
		web.GET("/imports/:id", web.Signed, h.jobPage),
		web.POST("/imports/:id/mapping", web.Signed, h.mappingForm),
		web.POST("/imports/:id/template", web.Signed, h.templateForm),
		web.POST("/imports/:id/commit", web.Signed, h.commitForm),
		web.POST("/imports/:id/undo", web.Signed, h.undoForm),
		web.GET("/imports/:id/rejected.xlsx", web.Signed, h.rejected),

		web.GET("/api/v1/imports", web.Signed, h.apiList),
		web.POST("/api/v1/imports", web.Signed, h.apiRun),
		web.GET("/api/v1/imports/:id", web.Signed, h.apiGet),
		web.POST("/api/v1/imports/:id/undo", web.Signed, h.apiUndo),
		web.GET("/api/v1/imports/:id/rejected.xlsx", web.Signed, h.rejected),
	}
}

func userOf(c *fiber.Ctx) User {
	me := web.Me(c)
	return User{Name: me.Username, Role: me.Role, Units: me.Units, Scope: me.Scope, Actor: web.Actor(c)}
}

func (h *Handlers) auditDenied(c *fiber.Ctx, err error) { web.AuditDenied(c, h.Audit, AuditKind, err) }

// errTooLarge answers an upload over MaxUpload.
var errTooLarge = fiber.NewError(fiber.StatusRequestEntityTooLarge,
	fmt.Sprintf("文件超过 %d MB 上限，请拆分后分批导入", MaxUpload>>20))

// readUpload reads the multipart field "file" (at most MaxUpload bytes).
func readUpload(c *fiber.Ctx) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Filename == "" {
		return "", nil, &web.BadInput{Field: "file", Message: "请选择要导入的 .xlsx 或 .csv 文件"}
	}
	if fh.Size > MaxUpload {
		return "", nil, errTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxUpload+1))
	if err != nil {
		return "", nil, err
	}
	if len(data) > MaxUpload {
		return "", nil, errTooLarge
	}
	if len(data) == 0 {
		return "", nil, &web.BadInput{Field: "file", Message: "文件是空的（0 字节）"}
	}
	return fh.Filename, data, nil
}

// defaultUnit is the unit rows without a 责任单位 go to: the user's first
// unit, else the first unit they may import for.
func (h *Handlers) defaultUnit(u User) string {
	if len(u.Units) > 0 {
		return u.Units[0]
	}
	if opts := h.unitOptions(u); len(opts) > 0 {
		return opts[0][0]
	}
	return ""
}

// unitOptions are the units u may import for.
func (h *Handlers) unitOptions(u User) [][2]string {
	var out [][2]string
	if h.Units == nil {
		return out
	}
	for _, o := range h.Units() {
		if u.Scope.Allows(o[0]) {
			out = append(out, o)
		}
	}
	return out
}

func (h *Handlers) unitName(id string) string {
	if h.UnitName == nil || id == "" {
		return id
	}
	return h.UnitName(id)
}

func (h *Handlers) personName(user string) string {
	if h.PersonName != nil {
		if n := h.PersonName(user); n != "" {
			return n
		}
	}
	return user
}

// kindLabel is the Chinese name of an import kind.
func (h *Handlers) kindLabel(kind string) string {
	if k, ok := h.Svc.Imports.Kind(kind); ok {
		return k.Label()
	}
	return kind
}

// RecordURL is the page of a record of an import kind.
func RecordURL(kind, id string) string {
	if id == "" {
		return ""
	}
	switch kind {
	case "talents", "enterprises", "institutes", "results":
		return "/resources/" + kind + "/" + url.PathEscape(id)
	}
	return "/" + kind + "/" + url.PathEscape(id)
}

// rejected downloads the rejected rows of a batch (or a draft's preview).
func (h *Handlers) rejected(c *fiber.Ctx) error {
	u := userOf(c)
	j, err := h.Svc.Job(c.UserContext(), u, c.Params("id"))
	if err == nil {
		var f io.ReadCloser
		var size int64
		if f, size, err = h.Svc.Rejected(c.UserContext(), u, j); err == nil {
			name := RejectedName(j)
			c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-rejected.xlsx"; filename*=UTF-8''%s`,
				j.ID, url.PathEscape(name)))
			// fasthttp closes the stream once sent.
			return c.SendStream(f, int(size))
		}
	}
	h.auditDenied(c, err)
	if se, ok := FileError(err); ok {
		return web.Fail(c, &web.BadInput{Field: "file", Message: se.Message})
	}
	if errors.Is(err, core.ErrNotFound) {
		return web.Fail(c, fiber.NewError(404, "该批次没有未导入的行"))
	}
	return web.Fail(c, err)
}

// parseRows reads a list of row numbers ("5,8" or repeated values).
func parseRows(vals ...string) (map[int]bool, error) {
	out := map[int]bool{}
	for _, v := range vals {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			n, err := strconv.Atoi(part)
			if err != nil || n < 1 {
				return nil, &web.BadInput{Field: "confirm", Message: fmt.Sprintf("confirm 应为行号列表，如 5,8（%q 不是行号）", part)}
			}
			out[n] = true
		}
	}
	return out, nil
}

// jobState is a job with its display names (API and pages).
type jobState struct {
	*batch.Job
	KindLabel    string `json:"kind_label"`
	StateLabel   string `json:"state_label"`
	UnitName     string `json:"unit_name"`
	ByName       string `json:"by_name"`
	UndoneByName string `json:"undone_by_name,omitempty"`
	MayUndo      bool   `json:"may_undo"`
	RejectedURL  string `json:"rejected_url,omitempty"`
}

func (h *Handlers) state(u User, j *batch.Job, api bool) jobState {
	s := jobState{Job: j, KindLabel: h.kindLabel(j.Kind), StateLabel: j.StateLabel(), UnitName: h.unitName(j.Unit),
		ByName: h.personName(j.By), MayUndo: MayUndo(u, j)}
	if j.UndoneBy != "" {
		s.UndoneByName = h.personName(j.UndoneBy)
	}
	if j.RejectedFile != "" {
		s.RejectedURL = "/imports/" + j.ID + "/rejected.xlsx"
		if api {
			s.RejectedURL = "/api/v1" + s.RejectedURL
		}
	}
	return s
}
