package gate

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"time"
)

// iamTimeLayout is how IAM renders expires_at/issued_at: RFC 3339 in UTC
// with microseconds ("2024-01-02T00:00:00.000000Z"), which time.RFC3339
// parses.
const iamTimeLayout = "2006-01-02T15:04:05.000000Z"

func formatIAMTime(t time.Time) string { return t.UTC().Format(iamTimeLayout) }

// maxIAMBody bounds what the IAM handler reads; a password request is a few
// hundred bytes.
const maxIAMBody = 1 << 20

type nameID struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// tokenRequest is the §7.2 body. Pointers tell "absent" from "empty".
type tokenRequest struct {
	Auth *struct {
		Identity *struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User *struct {
					Name     string  `json:"name"`
					Password string  `json:"password"`
					Domain   *nameID `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope *struct {
			Project *nameID `json:"project"`
			Domain  *nameID `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

// IAMHandler serves POST /v3/auth/tokens with the password method (§7.2):
// 201 with the token in X-Subject-Token on success; 401 with IAM's generic
// body for an unknown user, a wrong password or a project the user has no
// access to (IAM does not say which, so neither do we); 400 for a body that
// is not a password-method request. A request without scope gets an
// unscoped token, which ModelArts refuses with ModelArts.0212.
func (g *Gate) IAMHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeIAMError(w, http.StatusMethodNotAllowed, "Method Not Allowed", "The method is not allowed for the requested URL.")
			return
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxIAMBody+1))
		if err != nil || len(raw) > maxIAMBody {
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "The request body could not be read or is too large.")
			return
		}
		var req tokenRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "The request body is not valid JSON.")
			return
		}
		a := req.Auth
		switch {
		case a == nil || a.Identity == nil:
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "auth.identity is required.")
			return
		case !slices.Contains(a.Identity.Methods, "password"):
			writeIAMError(w, http.StatusBadRequest, "Bad Request", `auth.identity.methods must contain "password".`)
			return
		case a.Identity.Password == nil || a.Identity.Password.User == nil:
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "auth.identity.password.user is required.")
			return
		}
		pu := a.Identity.Password.User
		switch {
		case pu.Name == "" || pu.Password == "":
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "user name and password are required.")
			return
		case pu.Domain == nil || (pu.Domain.Name == "" && pu.Domain.ID == ""):
			// A user given by name is only unique within its domain.
			writeIAMError(w, http.StatusBadRequest, "Bad Request", "user.domain is required when the user is given by name.")
			return
		}
		var project *nameID
		if a.Scope != nil {
			project = a.Scope.Project
			if project != nil && project.ID == "" && project.Name == "" {
				writeIAMError(w, http.StatusBadRequest, "Bad Request", "scope.project needs an id or a name.")
				return
			}
		}

		u, ok := g.checkPassword(pu.Name, pu.Domain.Name, pu.Password)
		if ok && project != nil {
			ok = (project.ID != "" && project.ID == u.ProjectID) ||
				(project.ID == "" && u.ProjectName != "" && project.Name == u.ProjectName)
		}
		if !ok {
			writeIAMError(w, http.StatusUnauthorized, "Unauthorized", "The request you have made requires authentication.")
			return
		}

		var projectID, projectName string
		if project != nil {
			projectID, projectName = u.ProjectID, u.ProjectName
		}
		tok := g.issue(u, projectID, projectName)

		type named struct {
			Name string `json:"name"`
		}
		type projectOut struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			Domain named  `json:"domain"`
		}
		body := struct {
			Token struct {
				ExpiresAt string      `json:"expires_at"`
				IssuedAt  string      `json:"issued_at"`
				Methods   []string    `json:"methods"`
				Project   *projectOut `json:"project,omitempty"`
				User      struct {
					Name   string `json:"name"`
					Domain named  `json:"domain"`
				} `json:"user"`
				Catalog []any `json:"catalog"`
			} `json:"token"`
		}{}
		t := &body.Token
		t.ExpiresAt, t.IssuedAt = formatIAMTime(tok.expires), formatIAMTime(tok.issued)
		t.Methods = []string{"password"}
		if project != nil {
			t.Project = &projectOut{ID: projectID, Name: projectName, Domain: named{u.Domain}}
		}
		t.User.Name, t.User.Domain.Name = u.Name, u.Domain
		t.Catalog = []any{}

		w.Header().Set("X-Subject-Token", tok.token)
		w.Header().Set("X-Request-Id", newRequestID())
		writeJSON(w, http.StatusCreated, body)
	})
}

// checkPassword finds the user by name and domain name and compares the
// password in constant time. A domain given only by ID never matches: the
// simulator's users have domain names only.
func (g *Gate) checkPassword(name, domain, password string) (User, bool) {
	for _, u := range g.users {
		if u.Name == name && u.Domain == domain {
			return u, constantTimeEqual(password, u.Password)
		}
	}
	return User{}, false
}

func writeIAMError(w http.ResponseWriter, status int, title, msg string) {
	type iamErr struct {
		Code    int    `json:"code"`
		Title   string `json:"title"`
		Message string `json:"message"`
	}
	writeJSON(w, status, struct {
		Error iamErr `json:"error"`
	}{iamErr{status, title, msg}})
}
