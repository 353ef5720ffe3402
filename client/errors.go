package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"matui/model"
	"matui/model/termsafe"
)

// APIError is a non-2xx answer from ModelArts or the API gateway in front of
// it. It is the one way an API error is read anywhere in matui: errors.As
// with a *APIError, and IsAuth, IsNotFound, IsConflict, IsThrottled. It is built from whichever of the three body shapes arrived (Gen 1
// error_message, Gen 2 error_msg, APIG error_msg + request_id); when the body
// is not JSON, Message is a cleaned excerpt of it.
type APIError struct {
	HTTPStatus int
	Code       string // e.g. "ModelArts.6309", "APIG.0301"; empty if the body had none
	Message    string
	RequestID  string // X-Request-Id header, or the body's request_id
	Method     string
	Path       string // URL path of the request, without the query
}

// Error renders "ModelArts.6309: The instance does not exist. (HTTP 400,
// request 1a2b…)". Method and path are left out so that the text reads well
// in a status bar; they are available as fields.
func (e *APIError) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "" && e.Message != "":
		b.WriteString(e.Code + ": " + e.Message)
	case e.Code != "":
		b.WriteString(e.Code)
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString(http.StatusText(e.HTTPStatus))
		if b.Len() == 0 {
			b.WriteString("unexpected response")
		}
	}
	fmt.Fprintf(&b, " (HTTP %d", e.HTTPStatus)
	if e.RequestID != "" {
		b.WriteString(", request " + e.RequestID)
	}
	b.WriteString(")")
	return b.String()
}

// maxMessageRunes bounds Message so that an HTML error page from a proxy
// cannot flood the UI.
const maxMessageRunes = 300

// newAPIError decodes an error response. The body has already been read
// (size-limited) by the transport. Every string taken from the answer is
// sanitised (termsafe.Line: one line, no control or bidi characters, cut
// to length), so an APIError is safe to print wherever it goes.
func newAPIError(method, path string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{HTTPStatus: status, Method: method, Path: path, RequestID: termsafe.Line(header.Get("X-Request-Id"), 128)}
	if eb, ok := model.ParseErrorBody(body); ok {
		e.Code = termsafe.Line(eb.Code, 64)
		e.Message = termsafe.Line(eb.Message, maxMessageRunes)
		if e.RequestID == "" {
			e.RequestID = termsafe.Line(eb.RequestID, 128)
		}
		return e
	}
	e.Message = termsafe.Line(string(body), maxMessageRunes)
	return e
}

// asAPIError finds an *APIError in err's chain.
func asAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// codeNumber returns the numeric part of a ModelArts code ("ModelArts.6309"
// → "6309"), or "" for other prefixes.
func codeNumber(code string) string {
	n, ok := strings.CutPrefix(code, "ModelArts.")
	if !ok {
		return ""
	}
	return n
}

// IsNotFound reports whether err says the resource does not exist. ModelArts
// signals that with HTTP 400 and ModelArts.6309 (documented) or 6404 (seen by
// the Terraform provider); OTC-2024 also lists ModelArts.0015 with HTTP 404.
// A plain 404 counts too, except APIG.0101, which means "no such API" (e.g.
// Gen 1 not offered in a region) rather than "no such instance".
func IsNotFound(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch codeNumber(e.Code) {
	case "6309", "6404", "0015":
		return true
	}
	return e.HTTPStatus == http.StatusNotFound && !isNoSuchAPI(e)
}

// isNoSuchAPI reports the gateway's "this API does not exist here" answer.
func isNoSuchAPI(e *APIError) bool {
	return e.Code == "APIG.0101" || e.Code == "APIGW.0101"
}

// IsConflict reports whether err says the instance is in the wrong state for
// the operation: 6304 stop before delete, 6305 already running, 6306
// starting, 6307 already stopped, 6308 stopping, 6347 parameter not
// modifiable now, 6357 another operation running or already in target state.
func IsConflict(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch codeNumber(e.Code) {
	case "6304", "6305", "6306", "6307", "6308", "6347", "6357":
		return true
	}
	return false
}

// IsAuth reports whether err is an authentication or authorisation failure:
// the gateway's APIG(W).0301 (bad signature, bad/expired token, locked AK),
// ModelArts.02xx token/signature codes, or HTTP 401/403.
func IsAuth(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	return credentialsRefused(e) || e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden
}

// credentialsRefused reports the codes that say the credentials or the
// project themselves are wrong, whatever the HTTP status: the gateway's
// APIG(W).0301 and ModelArts.02xx.
func credentialsRefused(e *APIError) bool {
	if e.Code == "APIG.0301" || e.Code == "APIGW.0301" {
		return true
	}
	n := codeNumber(e.Code)
	return len(n) == 4 && strings.HasPrefix(n, "02")
}

// IsThrottled reports whether err says the service is busy: ModelArts.6101 or
// HTTP 429. Such errors surface once the retries are used up — at once for
// a POST throttled behind the gateway, which is not repeated (see send).
func IsThrottled(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	return codeNumber(e.Code) == "6101" || e.HTTPStatus == http.StatusTooManyRequests
}

// PartialError is returned by ListInstances together with the instances it
// could list when some of its listings failed (e.g. Gen 1 is not offered in
// a region). The UI shows the instances and a warning.
type PartialError struct {
	Failed []PartFailure
}

// PartFailure is one failed listing of a PartialError.
type PartFailure struct {
	What string // "gen1", "gen2 NOTEBOOK", "gen2 DEFAULT", "flavors"
	Err  error
}

func (e *PartialError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		parts[i] = f.What + ": " + f.Err.Error()
	}
	return "partial listing: " + strings.Join(parts, "; ")
}

// Unwrap exposes the individual failures to errors.Is / errors.As, so that
// IsAuth(err) works on a PartialError too.
func (e *PartialError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f.Err
	}
	return errs
}

// AmbiguousError is the failure of a request that changes something (a
// create, an action, an update, a delete) when the client cannot tell
// whether the service applied it: the attempt timed out or lost its
// connection after the request was written, or the answer was a 5xx, a 408
// or a 429 from behind the gateway. The text is the underlying error's.
// After an ambiguous create, look the instance up by name
// (FindNotebooksByName, FindDevInstancesByName) before offering to send it
// again; the next poll shows the truth for other operations.
type AmbiguousError struct {
	Err error
}

func (e *AmbiguousError) Error() string { return e.Err.Error() }

func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err says the request may have been applied
// although it failed (see AmbiguousError). An error that is not ambiguous
// is definite: the request was not carried out (a validation error, a
// refused signature, a conflict, a gateway that never forwarded it).
// Reads (GET) are never ambiguous.
func IsAmbiguous(err error) bool {
	var e *AmbiguousError
	return errors.As(err, &e)
}
