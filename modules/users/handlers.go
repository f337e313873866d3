package users

import (
	"zhaoshang/modules/web"
)

// Units lists and names units for the users pages.
type Units interface {
	UnitTree
	Name(id string) string
	Options() []UnitOption
}

// UnitOption is a unit in a picker.
type UnitOption struct{ ID, Name string }

// Handlers serves user administration (admins only).
type Handlers struct {
	Svc   *Service
	Units Units
}

// Routes is the module's route table, each route with the action it needs.
func (h *Handlers) Routes() []web.Route {
	return []web.Route{
		web.GET("/users", web.Admin, h.page),
		web.POST("/users", web.Admin, h.createForm),
		web.POST("/users/:id/disable", web.Admin, h.disableForm),
		web.POST("/users/:id/enable", web.Admin, h.enableForm),
		web.POST("/users/:id/password", web.Admin, h.passwordForm),
		web.GET("/users/:id", web.Admin, h.editPage),
		web.POST("/users/:id", web.Admin, h.editForm),
		web.GET("/api/v1/users", web.Admin, h.apiList),
		web.POST("/api/v1/users", web.Admin, h.apiCreate),
		web.GET("/api/v1/users/:id", web.Admin, h.apiGet),
		web.PUT("/api/v1/users/:id", web.Admin, h.apiUpdate),
	}
}
