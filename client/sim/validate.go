package sim

import (
	"errors"
	"fmt"
	"strings"

	"matui/model"
)

// validationError maps the first failure of a model Validate method to the
// ModelArts error code the real service uses for that field (reference
// §6.2). The FieldError says which field failed; raw holds the request's
// own values of the fields whose code depends on how they are wrong (an
// empty path is 6317, a path without "/" 6318, a bucket root 6358), so the
// mapping does not depend on the wording of model's messages.
//
// Codes:
//
//	name, description with an illegal character  ModelArts.6334
//	a required property missing                   ModelArts.6335
//	spec.storage.location.path missing            ModelArts.6317
//	… not ending with /                           ModelArts.6318 (seed 001's exact message)
//	… a bucket root                               ModelArts.6358
//	storage type not supported                    ModelArts.6324
//	EVS size / storage_new_size out of range      ModelArts.6331
//	auto-stop duration missing while enabling     ModelArts.6348
//	auto-stop or lease duration out of range      ModelArts.6349
//	anything else                                 ModelArts.6336
func validationError(err error, raw map[string]string) *apiError {
	var fe *model.FieldError
	var fes model.FieldErrors
	switch {
	case errors.As(err, &fes) && len(fes) > 0:
		fe = fes[0]
	case errors.As(err, &fe):
	default:
		return errf("ModelArts.6336", "Invalid request: %v.", err)
	}
	f := fe.Field
	v, hasRaw := raw[f]
	switch {
	case f == "name":
		switch {
		case v == "":
			return errf("ModelArts.6335", "'name' is a required property.")
		case strings.IndexFunc(v, func(r rune) bool { return !isNameRune(r) }) >= 0:
			return errf("ModelArts.6334", "The name %s contains illegal characters: only letters, digits, hyphens (-) and underscores (_) are allowed.", v)
		}
	case f == "description":
		if strings.ContainsAny(v, `&<>"'/`) {
			return errf("ModelArts.6334", "The description contains illegal characters (& < > \" ' /).")
		}
	case f == "spec.auto_stop.duration":
		if hasRaw && v == "" {
			return errf("ModelArts.6348", "The parameter 'duration' is required when auto stop is enabled.")
		}
		return errf("ModelArts.6349", "The duration must be in the range of 3600 to 86400.")
	case f == "lease.duration" || f == "duration":
		return errf("ModelArts.6349", "The duration must be in the range of 3600000 to 259200000.")
	case strings.HasSuffix(f, "location.path") && strings.HasPrefix(f, "spec.storage"):
		switch {
		case v == "":
			return errf("ModelArts.6317", "The param path is required for OBS storage.")
		case !strings.HasSuffix(v, "/"):
			// Seed 001's exact failure message.
			return errf("ModelArts.6318", "The param path needs to end with /.")
		case isBucketRoot(v):
			return errf("ModelArts.6358", "The OBS path %s must be a directory in a bucket, not the root directory of the bucket.", v)
		}
	case f == "spec.storage.type" || f == "volume.category":
		return errf("ModelArts.6324", "The storage type %s is not supported.", fe.Value)
	case strings.HasSuffix(f, ".capacity") || strings.HasSuffix(f, ".volume_size") || f == "storage_new_size":
		return errf("ModelArts.6331", "The EVS size must be in the range of 5 to 4096 GB.")
	}
	if strings.HasPrefix(fe.Rule, "is required") {
		return errf("ModelArts.6335", "'%s' is a required property.", f)
	}
	return errf("ModelArts.6336", "The '%s' property value is incorrect: %s.", f, fe.Error())
}

func isNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

// isBucketRoot reports whether an OBS path names only a bucket
// ("/bucket/", "obs://bucket/").
func isBucketRoot(p string) bool {
	p = strings.TrimPrefix(p, "obs://")
	p = strings.Trim(p, "/")
	return p != "" && !strings.Contains(p, "/")
}

// statusConflict is the error for an operation the instance's status does
// not allow (reference §4.1 and §4.3).
func statusConflict(g gen, op, status string) *apiError {
	switch status {
	case "STARTING", "START_QUEUING", "CREATE_QUEUING", "RESTARTING":
		return errf("ModelArts.6306", "The instance is %s. No other operation is allowed.", strings.ToLower(status))
	case "STOPPING":
		return errf("ModelArts.6308", "The instance is stopping. No other operation is allowed.")
	}
	if g == gen1 {
		switch {
		case op == "start" && status == "RUNNING":
			return errf("ModelArts.6305", "The instance is already running.")
		case op == "stop" && (status == "STOPPED" || status == "START_FAILED" || status == "CREATE_FAILED"):
			return errf("ModelArts.6307", "The instance is already stopped.")
		case op == "delete" && status == "RUNNING":
			return errf("ModelArts.6304", "Stop the instance before deleting it.")
		}
	}
	return errf("ModelArts.6357", "The %s operation is not allowed: another operation is in progress or the instance is already in the target state (%s).", op, status)
}

// cannotModify is ModelArts.6347 with the documented template (reference §4.3).
func cannotModify(status, param string) *apiError {
	return errf("ModelArts.6347", "When the instance is in the '%s' status, the '%s' parameter cannot be modified.", status, param)
}

func fmtRaw(p *int) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}
