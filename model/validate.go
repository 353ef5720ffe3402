package model

import (
	"fmt"
	"strings"
)

// FieldError is a validation failure a form can show next to its field: which
// field, which rule, and the allowed range.
type FieldError struct {
	Field   string // JSON path of the field, e.g. "name", "spec.auto_stop.duration"
	Rule    string // the rule that failed, e.g. "at most 64 characters"
	Allowed string // the allowed range or set, e.g. "1–64 letters, digits, - and _"
	Value   string // the offending value, shortened for display (never a secret)
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(e.Rule)
	if e.Allowed != "" {
		fmt.Fprintf(&b, " (allowed: %s)", e.Allowed)
	}
	return b.String()
}

// FieldErrors collects every field error of one request.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Err returns nil when there are no errors, so callers can return it directly.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// The per-field validators below return nil or a *FieldError. Their bodies
// and the request-level Validate methods live in validate_*.go.
//
//	ValidateGen1Name(name string) error                  // 1–64, [A-Za-z0-9_-]
//	ValidateGen2Name(name string) error                  // 1–128, [A-Za-z0-9_-]
//	ValidateDescription(desc string) error               // ≤512, none of & < > " ' /
//	ValidateGen1AutoStop(enable bool, seconds *int) error // 3,600–86,400 s, required when enabled
//	ValidateLeaseMillis(ms int64) error                   // 3,600,000–259,200,000 ms
//
// Durations as typed (duration.go: "90m", "1.5h", "1h30m", "5400s", a bare
// number of hours), parsed and range-checked in one step:
//
//	ParseGen1AutoStop(s string) (seconds int, err error)  // 3,600–86,400 s
//	ParseLeaseDuration(s string) (ms int64, err error)    // 1–72 h
//
//	ValidateOBSPath(path string) error                    // ends with /, not a bucket root
//	ValidateEVSSize(gb int) error                         // 5–4,096 GB
//	ValidateEVSGrow(currentGB, newGB int) error           // grow only, ≤4,096
//	ValidateAllowedIPs(ips []string) error                // ≤5 valid IP addresses
//	ValidateKeyPairName(name string) error
//	ValidateCustomSpec(cs *CustomSpec, flavor string) error
//	ValidateHook(h *HookConfig) error                     // SCRIPT: absolute path; COMMAND: base64
//	ValidateLabelKey(key string) error
//	ValidateLabelValue(v string) error
//	ValidateAffinityRule(r AffinityRule, preferred bool) error
//	ValidateAffinity(a Affinity) error
//
// Request-level (each returns FieldErrors.Err() with every failing field):
//
//	(*CreateNotebookRequest).Validate() error
//	(*UpdateNotebookRequest).Validate() error
//	(*CreateDevInstanceRequest).Validate() error
//	(*ModifyDevInstanceRequest).Validate() error
