package model

import (
	"fmt"
	"unicode/utf8"
)

// Saving a running notebook as a custom image (reference §3.12; SDK
// CreateImage with ImageCreateReq). The notebook passes through
// SNAPSHOTTING and returns to RUNNING; the new image is a DEDICATED,
// PRIVATE image of origin IMAGE_SAVE that GET /images lists with
// type=DEDICATED, first INIT/CREATING, then ACTIVE.

// Image statuses (reference §3.0 Image).
const (
	ImageInit         = "INIT"
	ImageCreating     = "CREATING"
	ImageCreateFailed = "CREATE_FAILED"
	ImageError        = "ERROR"
	ImageDeleted      = "DELETED"
	ImageActive       = "ACTIVE"
)

// Image types and origins.
const (
	ImageTypeBuiltIn   = "BUILD_IN"
	ImageTypeDedicated = "DEDICATED"
	ImageOriginSave    = "IMAGE_SAVE"
)

// CreateImageRequest is the body of POST /notebooks/{id}/create-image (SDK
// ImageCreateReq).
type CreateImageRequest struct {
	Name        string `json:"name"`      // required
	Namespace   string `json:"namespace"` // SWR organisation; required
	Tag         string `json:"tag,omitempty"`
	Description string `json:"description,omitempty"`
	WorkspaceID string `json:"workspace_id,omitempty"`
	// SWR enterprise edition only; the SDK documents no format for them.
	SwrInstanceID     string `json:"swr_instance_id,omitempty"`
	SwrInstanceDomain string `json:"swr_instance_domain,omitempty"`
}

// Limits (SDK ImageCreateReq). The reference notes OTC allows 512 for the
// name; the SDK's 128 is what the current API documents.
const (
	imageNameMax    = 128
	swrNamespaceMax = 64
	imageTagMax     = 64
	imageDescMax    = 512
)

const (
	allowedImageName    = "1–128 lowercase letters, digits, - _ and ., starting and ending with a letter or digit"
	allowedSWRNamespace = "1–64 letters, digits, - _ and ., starting with a lowercase letter (an SWR organisation)"
	allowedImageTag     = "0–64 letters, digits, - _ and ."
	allowedImageDesc    = "up to 512 characters"
)

func isLowerAlnum(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }

func checkImageName(field, n string) *FieldError {
	if n == "" {
		return valErr(field, "is required", allowedImageName, n)
	}
	if c := utf8.RuneCountInString(n); c > imageNameMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", c), allowedImageName, n)
	}
	for _, r := range n {
		if !isLowerAlnum(r) && r != '-' && r != '_' && r != '.' {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedImageName, n)
		}
	}
	if !isLowerAlnum(rune(n[0])) || !isLowerAlnum(rune(n[len(n)-1])) {
		return valErr(field, "does not start and end with a lowercase letter or digit", allowedImageName, n)
	}
	return nil
}

func checkSWRNamespace(field, ns string) *FieldError {
	if ns == "" {
		return valErr(field, "is required", allowedSWRNamespace, ns)
	}
	if c := utf8.RuneCountInString(ns); c > swrNamespaceMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", c), allowedSWRNamespace, ns)
	}
	for _, r := range ns {
		if !(r < utf8.RuneSelf && (valIsNameChar(r) || r == '.')) {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedSWRNamespace, ns)
		}
	}
	if ns[0] < 'a' || ns[0] > 'z' {
		return valErr(field, "does not start with a lowercase letter", allowedSWRNamespace, ns)
	}
	return nil
}

func checkImageTag(field, t string) *FieldError {
	if c := utf8.RuneCountInString(t); c > imageTagMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", c), allowedImageTag, t)
	}
	for _, r := range t {
		if !(r < utf8.RuneSelf && (valIsNameChar(r) || r == '.')) {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedImageTag, t)
		}
	}
	return nil
}

// ValidateImageName checks the name of an image to save: 1–128 lowercase
// letters, digits, - _ and ., starting and ending with a letter or digit.
func ValidateImageName(n string) error { return valAsError(checkImageName("name", n)) }

// ValidateSWRNamespace checks an SWR organisation: 1–64 letters, digits,
// - _ and ., starting with a lowercase letter.
func ValidateSWRNamespace(ns string) error { return valAsError(checkSWRNamespace("namespace", ns)) }

// ValidateImageTag checks an image tag: up to 64 letters, digits, - _ and
// .; empty means the service's default.
func ValidateImageTag(t string) error { return valAsError(checkImageTag("tag", t)) }

// Validate checks a save-as-image request and returns every failing field.
// The description has only a length limit (the SDK names no forbidden
// characters for images, unlike notebook descriptions).
func (r *CreateImageRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	es = valAdd(es, checkImageName("name", r.Name))
	es = valAdd(es, checkSWRNamespace("namespace", r.Namespace))
	es = valAdd(es, checkImageTag("tag", r.Tag))
	if c := utf8.RuneCountInString(r.Description); c > imageDescMax {
		es = append(es, valErr("description", fmt.Sprintf("%d characters is too long", c), allowedImageDesc, r.Description))
	}
	return es.Err()
}
