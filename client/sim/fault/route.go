package fault

import (
	"net/http"
	"strings"
)

// Route keys. They name API operations, not paths, so that a fault rule
// survives differences in how a client spells a path (trailing slash, the
// Gen 2 "/notebooks/all" alias of the list call).
const (
	RouteNotebooksList       = "notebooks.list"
	RouteNotebooksShow       = "notebooks.show"
	RouteNotebooksCreate     = "notebooks.create"
	RouteNotebooksUpdate     = "notebooks.update"
	RouteNotebooksDelete     = "notebooks.delete"
	RouteNotebooksStart      = "notebooks.start"
	RouteNotebooksStop       = "notebooks.stop"
	RouteNotebooksLease      = "notebooks.lease"
	RouteNotebooksFlavors    = "notebooks.flavors"
	RouteNotebooksSwitchable = "notebooks.switchable"
	RouteNotebooksOpen       = "notebooks.open"
	RouteImagesList          = "images.list"
	RouteImagesShow          = "images.show"
	RouteImagesSave          = "images.save" // POST /notebooks/{id}/create-image
	RouteStorageList         = "storage.list"
	RouteStorageAttach       = "storage.attach"
	RouteStorageShow         = "storage.show"
	RouteStorageDetach       = "storage.detach"
	RouteTagsList            = "tags.list" // GET /notebooks/tags
	RouteTagsCreate          = "tags.create"
	RouteTagsDelete          = "tags.delete"
	RoutePoolsList           = "pools.list" // GET /authoring/clusters
	RoutePoolsShow           = "pools.show"
	RouteDevList             = "dev.list"
	RouteDevGet              = "dev.get"
	RouteDevCreate           = "dev.create"
	RouteDevModify           = "dev.modify"
	RouteDevDelete           = "dev.delete"
	RouteDevAction           = "dev.action"
	RouteIAMTokens           = "iam.tokens"
	RouteOther               = "other"
)

// routeKeys is the ordered list returned by Routes. It is never modified.
var routeKeys = [...]string{
	RouteNotebooksList, RouteNotebooksShow, RouteNotebooksCreate,
	RouteNotebooksUpdate, RouteNotebooksDelete, RouteNotebooksStart,
	RouteNotebooksStop, RouteNotebooksLease, RouteNotebooksFlavors,
	RouteNotebooksSwitchable, RouteNotebooksOpen, RouteImagesList,
	RouteImagesShow, RouteImagesSave, RouteStorageList, RouteStorageAttach,
	RouteStorageShow, RouteStorageDetach, RouteTagsList, RouteTagsCreate,
	RouteTagsDelete, RoutePoolsList, RoutePoolsShow,
	RouteDevList, RouteDevGet, RouteDevCreate, RouteDevModify,
	RouteDevDelete, RouteDevAction, RouteIAMTokens, RouteOther,
}

// Routes returns every route key Route can produce, for help texts and
// completion. The caller owns the returned slice.
func Routes() []string {
	out := make([]string, len(routeKeys))
	copy(out, routeKeys[:])
	return out
}

func knownRoute(key string) bool {
	for _, k := range routeKeys {
		if k == key {
			return true
		}
	}
	return false
}

// knownFamily reports whether "family.*" is a valid pattern: some route key
// starts with "family.".
func knownFamily(family string) bool {
	for _, k := range routeKeys {
		if f, _, ok := strings.Cut(k, "."); ok && f == family {
			return true
		}
	}
	return false
}

// Route classifies r into one of the route keys (see Routes) from its method
// and URL path. Requests that match no known operation, including a known
// path with a method the API does not serve there, are RouteOther.
func Route(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/")
	// A trailing slash is the same operation; the signer even adds one to
	// the canonical URI.
	p = strings.TrimSuffix(p, "/")
	seg := strings.Split(p, "/")
	for _, s := range seg {
		if s == "" {
			return RouteOther
		}
	}
	m := r.Method

	if len(seg) == 3 && seg[0] == "v3" && seg[1] == "auth" && seg[2] == "tokens" {
		if m == http.MethodPost {
			return RouteIAMTokens
		}
		return RouteOther
	}
	if len(seg) < 3 || seg[0] != "v1" {
		return RouteOther
	}
	rest := seg[2:] // after /v1/{project_id}
	switch rest[0] {
	case "notebooks":
		return routeNotebooks(m, rest[1:])
	case "images":
		switch {
		case len(rest) == 1 && m == http.MethodGet:
			return RouteImagesList
		case len(rest) == 2 && m == http.MethodGet:
			return RouteImagesShow
		}
	case "authoring":
		switch {
		case len(rest) == 2 && rest[1] == "clusters" && m == http.MethodGet:
			return RoutePoolsList
		case len(rest) == 3 && rest[1] == "clusters" && m == http.MethodGet:
			return RoutePoolsShow
		}
	case "demanager":
		if len(rest) >= 2 && rest[1] == "instances" {
			return routeDev(m, rest[2:])
		}
	}
	return RouteOther
}

// routeNotebooks classifies the part of a Gen 2 path after "/notebooks".
func routeNotebooks(m string, rest []string) string {
	switch len(rest) {
	case 0:
		switch m {
		case http.MethodGet:
			return RouteNotebooksList
		case http.MethodPost:
			return RouteNotebooksCreate
		}
	case 1:
		// "all", "flavors" and "open" are fixed path elements, never
		// instance ids, whatever the method.
		switch rest[0] {
		case "all":
			if m == http.MethodGet {
				return RouteNotebooksList
			}
			return RouteOther
		case "flavors":
			if m == http.MethodGet {
				return RouteNotebooksFlavors
			}
			return RouteOther
		case "open":
			if m == http.MethodPost {
				return RouteNotebooksOpen
			}
			return RouteOther
		case "tags":
			if m == http.MethodGet {
				return RouteTagsList
			}
			return RouteOther
		}
		switch m {
		case http.MethodGet:
			return RouteNotebooksShow
		case http.MethodPut:
			return RouteNotebooksUpdate
		case http.MethodDelete:
			return RouteNotebooksDelete
		}
	case 2:
		switch {
		case rest[1] == "start" && m == http.MethodPost:
			return RouteNotebooksStart
		case rest[1] == "stop" && m == http.MethodPost:
			return RouteNotebooksStop
		case rest[1] == "lease" && (m == http.MethodGet || m == http.MethodPatch):
			return RouteNotebooksLease
		case rest[1] == "flavors" && m == http.MethodGet:
			return RouteNotebooksSwitchable
		case rest[1] == "storage" && m == http.MethodGet:
			return RouteStorageList
		case rest[1] == "storage" && m == http.MethodPost:
			return RouteStorageAttach
		case rest[1] == "create-image" && m == http.MethodPost:
			return RouteImagesSave
		}
	case 3:
		switch {
		case rest[1] == "storage" && m == http.MethodGet:
			return RouteStorageShow
		case rest[1] == "storage" && m == http.MethodDelete:
			return RouteStorageDetach
		case rest[1] == "tags" && rest[2] == "create" && m == http.MethodPost:
			return RouteTagsCreate
		case rest[1] == "tags" && rest[2] == "delete" && m == http.MethodDelete:
			return RouteTagsDelete
		}
	}
	return RouteOther
}

// routeDev classifies the part of a Gen 1 path after "/demanager/instances".
func routeDev(m string, rest []string) string {
	switch len(rest) {
	case 0:
		switch m {
		case http.MethodGet:
			return RouteDevList
		case http.MethodPost:
			return RouteDevCreate
		}
	case 1:
		switch m {
		case http.MethodGet:
			return RouteDevGet
		case http.MethodPut:
			return RouteDevModify
		case http.MethodDelete:
			return RouteDevDelete
		}
	case 2:
		if rest[1] == "action" && m == http.MethodPost {
			return RouteDevAction
		}
	}
	return RouteOther
}

// matches reports whether a rule's route pattern applies to key, and how
// specific the pattern is (higher wins when rules are merged).
func matches(pattern, key string) (specificity int, ok bool) {
	switch {
	case pattern == "*":
		return 0, true
	case strings.HasSuffix(pattern, ".*"):
		family := strings.TrimSuffix(pattern, "*") // keeps the dot
		return 1, strings.HasPrefix(key, family)
	default:
		return 2, pattern == key
	}
}
