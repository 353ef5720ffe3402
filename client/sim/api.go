package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// apiError is a business error. Gen 1 renders it as {error_code,
// error_message}, Gen 2 as {error_code, error_msg} (reference §6.1).
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func errf(code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, msg: fmt.Sprintf(format, args...)}
}

type gen int

const (
	gen1 gen = 1
	gen2 gen = 2
)

// call is one request as a handler sees it. Handlers run with Server.mu
// held and st already ticked to now.
type call struct {
	st    *state
	now   int64
	query url.Values
	body  []byte
	id    string // path {id}, when the route has one
	sub   string // the second path id ({storage_id}), when the route has one
	// fail is the fault injector's verdict for an asynchronous operation
	// this request starts: it is accepted, and later ends in its failure
	// state (fault rule key "fail").
	fail bool
}

// noContent is a handler result answered with 204 and no body, as the
// tag calls are (their SDK responses have no fields).
type noContent struct{}

type handlerFunc func(c *call) (any, *apiError)

type route struct {
	gen gen
	fn  handlerFunc
}

// maxBody bounds request bodies; APIG refuses larger ones with APIG.0201 413.
const maxBody = 1 << 20

// match finds the handler for method and the path segments after
// /v1/{project_id}/, with the path's ids. ok is false when no API exists
// (APIG.0101 404).
func match(method string, segs []string) (r route, id, sub string, ok bool) {
	r, id, ok = match1(method, segs)
	if ok || len(segs) != 4 || segs[0] != "notebooks" || segs[2] != "storage" {
		return r, id, "", ok
	}
	switch method {
	case "GET":
		return route{gen2, showStorage}, segs[1], segs[3], true
	case "DELETE":
		return route{gen2, detachStorage}, segs[1], segs[3], true
	}
	return route{}, "", "", false
}

// match1 matches the routes with at most one path id.
func match1(method string, segs []string) (r route, id string, ok bool) {
	n := len(segs)
	if n == 0 {
		return route{}, "", false
	}
	is := func(m string, want ...string) bool {
		if method != m || n != len(want) {
			return false
		}
		for i, w := range want {
			if w != "*" && segs[i] != w {
				return false
			}
		}
		return true
	}
	switch segs[0] {
	case "notebooks":
		switch {
		case is("GET", "notebooks"):
			return route{gen2, listNotebooks}, "", true
		case is("GET", "notebooks", "all"):
			return route{gen2, listAllNotebooks}, "", true
		case is("POST", "notebooks"):
			return route{gen2, createNotebook}, "", true
		case is("GET", "notebooks", "flavors"):
			return route{gen2, listFlavors}, "", true
		case is("POST", "notebooks", "open"):
			return route{gen2, openCodeLab}, "", true
		case is("GET", "notebooks", "tags"):
			return route{gen2, listTags}, "", true
		case n >= 2 && (segs[1] == "flavors" || segs[1] == "all" || segs[1] == "open" || segs[1] == "tags"):
			return route{}, "", false
		case is("GET", "notebooks", "*"):
			return route{gen2, showNotebook}, segs[1], true
		case is("PUT", "notebooks", "*"):
			return route{gen2, updateNotebook}, segs[1], true
		case is("DELETE", "notebooks", "*"):
			return route{gen2, deleteNotebook}, segs[1], true
		case is("POST", "notebooks", "*", "start"):
			return route{gen2, startNotebook}, segs[1], true
		case is("POST", "notebooks", "*", "stop"):
			return route{gen2, stopNotebook}, segs[1], true
		case is("GET", "notebooks", "*", "lease"):
			return route{gen2, showLease}, segs[1], true
		case is("PATCH", "notebooks", "*", "lease"):
			return route{gen2, renewLease}, segs[1], true
		case is("GET", "notebooks", "*", "flavors"):
			return route{gen2, switchableFlavors}, segs[1], true
		case is("GET", "notebooks", "*", "storage"):
			return route{gen2, listStorage}, segs[1], true
		case is("POST", "notebooks", "*", "storage"):
			return route{gen2, attachStorage}, segs[1], true
		case is("POST", "notebooks", "*", "create-image"):
			return route{gen2, createImage}, segs[1], true
		case is("POST", "notebooks", "*", "tags", "create"):
			return route{gen2, createTags}, segs[1], true
		case is("DELETE", "notebooks", "*", "tags", "delete"):
			return route{gen2, deleteTags}, segs[1], true
		}
	case "authoring":
		switch {
		case is("GET", "authoring", "clusters"):
			return route{gen2, listClusters}, "", true
		case is("GET", "authoring", "clusters", "*"):
			return route{gen2, showCluster}, segs[2], true
		}
	case "images":
		switch {
		case is("GET", "images"):
			return route{gen2, listImages}, "", true
		case is("GET", "images", "*"):
			return route{gen2, showImage}, segs[1], true
		}
	case "demanager":
		switch {
		case is("GET", "demanager", "instances"):
			return route{gen1, listDevs}, "", true
		case is("POST", "demanager", "instances"):
			return route{gen1, createDev}, "", true
		case is("GET", "demanager", "instances", "*"):
			return route{gen1, getDev}, segs[2], true
		case is("PUT", "demanager", "instances", "*"):
			return route{gen1, modifyDev}, segs[2], true
		case is("DELETE", "demanager", "instances", "*"):
			return route{gen1, deleteDev}, segs[2], true
		case is("POST", "demanager", "instances", "*", "action"):
			return route{gen1, actionDev}, segs[2], true
		case is("GET", "demanager", "instances", "*", "token"):
			return route{gen1, tokenDev}, segs[2], true
		}
	}
	return route{}, "", false
}

// serveAPI is the API mux (inside the auth and fault middleware).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	var (
		rt      route
		id, sub string
		ok      bool
		project string
	)
	if rest, found := strings.CutPrefix(path, "/v1/"); found {
		parts := strings.Split(rest, "/")
		project = parts[0]
		rt, id, sub, ok = match(r.Method, parts[1:])
	}
	if !ok {
		s.writeAPIG(w, http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment")
		return
	}
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			s.writeAPIG(w, http.StatusBadRequest, "APIG.0201", "Failed to read the request body")
			return
		}
		if len(b) > maxBody {
			s.writeAPIG(w, http.StatusRequestEntityTooLarge, "APIG.0201", "Request entity too large")
			return
		}
		body = b
	}

	// Drawn before the lock: the injector has its own, and a request that
	// does not start an asynchronous operation draws nothing.
	fail := s.faults.Fails(r)

	s.mu.Lock()
	now := s.st.tick(s.clock.Now().UnixMilli())
	rid := s.st.requestID()
	var (
		out  any
		aerr *apiError
	)
	if project != s.creds.ProjectID {
		aerr = errf("ModelArts.0210", "Invalid project ID %q: it does not match the project of the request.", project)
	} else {
		out, aerr = rt.fn(&call{st: s.st, now: now, query: r.URL.Query(), body: body, id: id, sub: sub, fail: fail})
	}
	s.mu.Unlock()

	// Responses are snapshots (rendered under the lock), so encoding can
	// happen without holding it.
	h := w.Header()
	h.Set("Date", httpDate(now))
	h.Set("X-Request-Id", rid)
	h.Set("Content-Type", "application/json")
	if aerr != nil {
		var eb any
		if rt.gen == gen1 {
			eb = struct {
				Code string `json:"error_code"`
				Msg  string `json:"error_message"`
			}{aerr.code, aerr.msg}
		} else {
			eb = struct {
				Code string `json:"error_code"`
				Msg  string `json:"error_msg"`
			}{aerr.code, aerr.msg}
		}
		writeJSON(w, aerr.status, eb)
		return
	}
	if _, empty := out.(noContent); empty {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error_code":"ModelArts.0010","error_msg":"internal error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) writeAPIG(w http.ResponseWriter, status int, code, msg string) {
	s.mu.Lock()
	now := s.st.tick(s.clock.Now().UnixMilli())
	rid := s.st.requestID()
	s.mu.Unlock()
	w.Header().Set("Date", httpDate(now))
	w.Header().Set("X-Request-Id", rid)
	w.Header().Set("Content-Type", "application/json")
	writeJSON(w, status, struct {
		Code      string `json:"error_code"`
		Msg       string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}{code, msg, rid})
}

// decode parses a JSON body into v. An empty body decodes as {} (the SDK
// sends none on start; CodeLab open's sample sends "{ }").
func decode(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errf("ModelArts.6332", "The type of parameter '%s' is incorrect: expected %s, got %s.", te.Field, te.Type, te.Value)
		}
		return errf("ModelArts.6400", "Invalid request payload: %v.", err)
	}
	return nil
}

// qInt reads an integer query parameter; def when absent.
func qInt(q url.Values, key string, def, min, max int) (int, *apiError) {
	v := q.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, errf("ModelArts.0107", "Invalid values for parameters (%s, %s): an integer in [%d, %d] is required.", key, v, min, max)
	}
	return n, nil
}

func badQuery(key, value, allowed string) *apiError {
	return errf("ModelArts.0107", "Invalid values for parameters (%s, %s): allowed %s.", key, value, allowed)
}
