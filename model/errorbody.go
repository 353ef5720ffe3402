package model

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// ErrorBody is a ModelArts or API-gateway error response (§6.1).
type ErrorBody struct {
	Code      string // "ModelArts.6309", "APIG.0301"
	Message   string
	RequestID string // APIG bodies only; the X-Request-Id header carries it otherwise
}

// String renders "code: message" (either part may be missing).
func (e ErrorBody) String() string {
	switch {
	case e.Code == "":
		return e.Message
	case e.Message == "":
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// ParseErrorBody reads an error body in any of the shapes of §6.1
// (error_code+error_msg, error_code+error_message, APIG with request_id),
// as well as code+message, and the same nested one level deep (e.g.
// {"error":{"code":…,"message":…}}). Key names match case-insensitively.
// Codes given as numbers are kept as text. It reports false when b is not a
// JSON object or carries neither a code nor a message. It never panics.
func ParseErrorBody(b []byte) (ErrorBody, bool) {
	var top map[string]json.RawMessage
	if !isJSONObject(b) || json.Unmarshal(b, &top) != nil {
		return ErrorBody{}, false
	}
	e := errorFields(top)
	if e.Code == "" || e.Message == "" {
		// Look one level down; the top level keeps precedence.
		for _, k := range sortedKeys(top) {
			var inner map[string]json.RawMessage
			if !isJSONObject(top[k]) || json.Unmarshal(top[k], &inner) != nil {
				continue
			}
			in := errorFields(inner)
			if in.Code == "" && in.Message == "" {
				continue
			}
			if e.Code == "" {
				e.Code = in.Code
			}
			if e.Message == "" {
				e.Message = in.Message
			}
			if e.RequestID == "" {
				e.RequestID = in.RequestID
			}
			break
		}
	}
	if e.Code == "" && e.Message == "" {
		// Not an error body (a request id alone says nothing); the zero
		// value keeps "not ok" unambiguous for callers.
		return ErrorBody{}, false
	}
	return e, true
}

// errorFields picks code, message and request id out of one object level.
func errorFields(m map[string]json.RawMessage) ErrorBody {
	lower := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		lk := strings.ToLower(k)
		if _, dup := lower[lk]; !dup || k == lk {
			lower[lk] = v
		}
	}
	// Key names by role, in order of preference. Gen 1 uses error_message,
	// Gen 2 and APIG error_msg (§8.11); the SDK also recognises code+message.
	// "error" counts as a code only when it is a scalar.
	return ErrorBody{
		Code:      firstScalar(lower, "error_code", "code", "errorcode", "error"),
		Message:   firstScalar(lower, "error_msg", "error_message", "message", "errormessage", "errormsg", "msg"),
		RequestID: firstScalar(lower, "request_id", "requestid", "x-request-id"),
	}
}

// firstScalar returns the first of keys whose value is a non-empty string or
// a number; objects (e.g. "error":{…}) are skipped.
func firstScalar(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		raw, ok := m[k]
		if !ok {
			continue
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || raw[0] == 'n' || raw[0] == 't' || raw[0] == 'f' {
			continue
		}
		var s FlexString
		_ = s.UnmarshalJSON(raw)
		if v := strings.TrimSpace(string(s)); v != "" {
			return v
		}
	}
	return ""
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Prefer the conventional wrapper "error", then the rest in a stable order.
	slices.SortFunc(keys, func(a, b string) int {
		ae, be := strings.EqualFold(a, "error"), strings.EqualFold(b, "error")
		switch {
		case ae && !be:
			return -1
		case be && !ae:
			return 1
		}
		return strings.Compare(a, b)
	})
	return keys
}
