package imports

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"zhaoshang/importers/batch"
	"zhaoshang/modules/core"
	"zhaoshang/modules/web"
)

// formSettings reads the preview form: header row, column mapping
// (col_<n>), the review rows ticked (confirm) and the previewed token. A
// changed header row drops the mapping (its columns are another row's).
func (h *Handlers) formSettings(c *fiber.Ctx, j *batch.Job) (Settings, string, error) {
	set := Settings{}
	prevHeader, _ := strconv.Atoi(c.FormValue("previewed_header"))
	hr, err := strconv.Atoi(c.FormValue("header_row"))
	if err != nil || hr < 0 {
		hr = prevHeader
	}
	confirm := map[int]bool{}
	for _, b := range c.Request().PostArgs().PeekMulti("confirm") {
		if n, err := strconv.Atoi(string(b)); err == nil && n > 0 {
			confirm[n] = true
		}
	}
	set.Confirm = confirm
	if hr != prevHeader {
		set.HeaderRow = hr
		return set, "", nil
	}
	set.HeaderRow = j.HeaderRow
	known := map[string]string{}
	if k, ok := h.Svc.Imports.Kind(j.Kind); ok {
		for _, f := range k.Fields() {
			known[f.Key] = f.Label
		}
	}
	set.Mapping = map[int]string{}
	used := map[string]int{}
	ncols, _ := strconv.Atoi(c.FormValue("columns"))
	for col := 0; col < min(ncols, 2000); col++ {
		key := c.FormValue("col_" + strconv.Itoa(col))
		if key != "" {
			if _, ok := known[key]; !ok {
				return set, "", core.Invalid("mapping", "第 %s 列选择了未知字段", colLetter(col))
			}
			if first, ok := used[key]; ok {
				return set, "", core.Invalid("mapping", "「%s」同时选给了第 %s 列和第 %s 列，每个字段只能对应一列",
					known[key], colLetter(first), colLetter(col))
			}
			used[key] = col
		}
		set.Mapping[col] = key
	}
	if ncols == 0 {
		set.Mapping = mappingOf(j.Mapping)
	}
	return set, token(prevHeader, set.Mapping), nil
}

// back returns to a draft's preview with a flash.
func back(c *fiber.Ctx, id, kind, msg string) error {
	web.Flash(c, kind, msg)
	return c.Redirect("/imports/"+id, fiber.StatusSeeOther)
}

// draft loads a draft of the user's own for a form post.
func (h *Handlers) draft(c *fiber.Ctx, u User) (*batch.Job, error) {
	j, err := h.load(c, u)
	if err != nil {
		return nil, err
	}
	if err := mine(u, j); err != nil {
		h.auditDenied(c, err)
		return nil, err
	}
	return j, nil
}

func (h *Handlers) notDraft(c *fiber.Ctx, j *batch.Job) error {
	return back(c, j.ID, "error", "该导入当前为“"+j.StateLabel()+"”，不能再修改或提交")
}

// mappingForm applies a changed header row or mapping and shows the new
// preview.
func (h *Handlers) mappingForm(c *fiber.Ctx) error {
	_, j, _, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	return back(c, j.ID, "ok", "已按新的列映射重新预览")
}

// postedDraft loads the caller's draft and saves the header row, mapping
// and choices the form posted (re-previewing it), returning the preview
// token those settings had when the page was drawn. When the request is
// already answered (not found, no longer a draft, bad settings) j is nil
// and done is the answer.
func (h *Handlers) postedDraft(c *fiber.Ctx) (u User, j *batch.Job, tok string, done error) {
	u = userOf(c)
	j, err := h.draft(c, u)
	if err != nil {
		return u, nil, "", web.Fail(c, err)
	}
	if j.State != batch.StateDraft {
		return u, nil, "", h.notDraft(c, j)
	}
	set, tok, err := h.formSettings(c, j)
	if err == nil {
		err = h.Svc.SaveSettings(c.UserContext(), u, j, set)
	}
	if err != nil {
		return u, nil, "", h.formFail(c, j, err)
	}
	return u, j, tok, nil
}

// templateForm saves the draft's header mapping as the unit's template.
func (h *Handlers) templateForm(c *fiber.Ctx) error {
	u, j, _, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	if _, err := h.Svc.SaveMapping(c.UserContext(), u, j); err != nil {
		return h.formFail(c, j, err)
	}
	return back(c, j.ID, "ok", fmt.Sprintf("已保存为%s的%s导入模板：以后本单位上传表头相同的文件时自动套用这套列映射",
		h.unitName(j.Unit), h.kindLabel(j.Kind)))
}

func (h *Handlers) formFail(c *fiber.Ctx, j *batch.Job, err error) error {
	if fe, ok := core.AsFieldError(err); ok {
		return back(c, j.ID, "error", fe.Message)
	}
	if se, ok := FileError(err); ok {
		return back(c, j.ID, "error", se.Message)
	}
	if errors.Is(err, core.ErrConflict) {
		return back(c, j.ID, "error", "该导入已提交或正在提交，不能再修改")
	}
	h.auditDenied(c, err)
	return web.Fail(c, err)
}

// commitForm writes the draft as previewed. Choices changed since the
// preview are saved and previewed first instead.
func (h *Handlers) commitForm(c *fiber.Ctx) error {
	u, j, tok, done := h.postedDraft(c)
	if done != nil || j == nil {
		return done
	}
	if tok != c.FormValue("previewed") {
		return back(c, j.ID, "error", "表头或列映射已更改，已按新设置重新预览；请核对后再点“确认导入”")
	}
	rep, err := h.Svc.Commit(c.UserContext(), u, j)
	if err != nil {
		return h.formFail(c, j, err)
	}
	msg := fmt.Sprintf("已导入 %s（批次 %s）：新建 %d，更新 %d，未变 %d，待确认 %d，拒绝 %d，跳过 %d", j.File, rep.BatchID,
		rep.Created, rep.Updated, rep.Unchanged, rep.Review, rep.Rejected, rep.Skipped)
	return back(c, j.ID, "ok", msg)
}
