package server

import (
	"github.com/gofiber/fiber/v2"

	"zhaoshang/modules/aftercare"
	"zhaoshang/modules/projects"
	"zhaoshang/modules/web"
	"zhaoshang/templates"
)

// aftercareSection lists a landed project's service requests on its page.
func aftercareSection(c *fiber.Ctx, as *aftercare.Service, p *projects.Project) []projects.Section {
	if p.Stage != projects.StageProcess && p.Stage != projects.StageAftercare {
		return nil
	}
	reqs, err := as.ForProject(c.UserContext(), web.Me(c).Scope, p.ID)
	if err != nil {
		return nil
	}
	sec := projects.Section{Title: "后道服务事项", Link: "/aftercare/new?project=" + p.ID}
	for _, r := range reqs {
		due := "—"
		if !r.Due.IsZero() {
			due = r.Due.String()
		}
		sec.Rows = append(sec.Rows, []string{r.Title, templates.Label("aftercare_type", r.Type),
			templates.Label("aftercare_status", r.Status), "期限 " + due, web.PersonName(c, r.Owner)})
	}
	return []projects.Section{sec}
}
