package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dynamic storage (reference §3.13, SDK AttachDynamicStorage /
// ListDynamicStorages / ShowDynamicStorage / DetachDynamicStorage): an OBS
// bucket directory, a parallel file system (OBSFS) or an SFS Turbo share
// (EFS) mounted under /data/ of a running Gen 2 notebook. The API answers
// with DataVolumesRes objects, which have the fields of DataVolume; the
// notebook's own data_volumes list uses the same shape.

// Statuses of a dynamic mount (SDK DataVolumesRes.status).
const (
	MountMounting      = "MOUNTING"
	MountMountFailed   = "MOUNT_FAILED"
	MountMounted       = "MOUNTED"
	MountUnmounting    = "UNMOUNTING"
	MountUnmountFailed = "UNMOUNT_FAILED"
	MountUnmounted     = "UNMOUNTED"
)

// Mount types (SDK mount_type): STATIC storage cannot be mounted or
// unmounted while the instance runs, DYNAMIC storage can.
const (
	MountTypeStatic  = "STATIC"
	MountTypeDynamic = "DYNAMIC"
)

// Storage categories a dynamic mount accepts.
const (
	StorageOBS   = "OBS"   // object storage bucket
	StorageOBSFS = "OBSFS" // OBS parallel file system (PFS)
	StorageEFS   = "EFS"   // SFS Turbo; only on dedicated-pool instances
)

// UnmarshalJSON decodes leniently, like every response type: a field of an
// unexpected kind becomes empty and the rest of the mount survives.
func (d *DataVolume) UnmarshalJSON(b []byte) error {
	type alias DataVolume
	return decodeLenient(b, (*alias)(d))
}

// AttachStorageRequest is the body of POST /notebooks/{id}/storage (SDK
// DataVolumesReq).
type AttachStorageRequest struct {
	Category  string `json:"category"`   // OBS, OBSFS or EFS
	MountPath string `json:"mount_path"` // a directory below /data/
	URI       string `json:"uri"`        // obs://bucket/dir/, or host:/path for EFS
	EfsID     string `json:"efs_id,omitempty"`
}

// Limits of a dynamic mount (SDK DataVolumesReq: "限制长度为256个字符" for both).
const (
	mountPathMax  = 256
	storageURIMax = 256
	mountRoot     = "/data/"
)

const allowedMountPath = "a directory below /data/, e.g. /data/datasets/ — segments of letters, digits, . _ -, at most 256 characters"

// checkMountPath validates where a dynamic mount appears in the container.
// The SDK says "a subdirectory of /data"; the Terraform provider allows one
// level of [A-Za-z0-9_-] with a trailing slash. Deeper directories and dots
// inside a name are accepted here (the SDK does not forbid them), a trailing
// slash is optional, but "." and ".." segments, empty segments and anything
// outside the portable file-name characters are refused.
func checkMountPath(field, p string) *FieldError {
	if p == "" {
		return valErr(field, "is required", allowedMountPath, p)
	}
	if n := utf8.RuneCountInString(p); n > mountPathMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowedMountPath, p)
	}
	rest, ok := strings.CutPrefix(p, mountRoot)
	if !ok {
		return valErr(field, "is not below /data/", allowedMountPath, p)
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return valErr(field, "is /data/ itself; name a directory inside it", allowedMountPath, p)
	}
	segs := strings.Split(rest, "/")
	if msg := segmentProblem(segs); msg != "" {
		return valErr(field, msg, allowedMountPath, p)
	}
	for _, s := range segs {
		for _, r := range s {
			if !isPortableNameChar(r) {
				return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowedMountPath, p)
			}
		}
	}
	return nil
}

func isPortableNameChar(r rune) bool {
	return r < utf8.RuneSelf && (valIsNameChar(r) || r == '.')
}

// ValidateMountPath checks the mount_path of a dynamic mount: a directory
// below /data/ (not /data/ itself), at most 256 characters.
func ValidateMountPath(p string) error {
	return valAsError(checkMountPath("mount_path", p))
}

// CleanMountPath returns p with exactly one trailing slash, the form in
// which two spellings of one directory compare equal.
func CleanMountPath(p string) string {
	return strings.TrimRight(p, "/") + "/"
}

// MountPathsOverlap reports whether two mount paths name the same directory
// or one lies inside the other: a second mount there would hide the first
// one's files (or be hidden by it), so a notebook may have only one.
func MountPathsOverlap(a, b string) bool {
	a, b = CleanMountPath(a), CleanMountPath(b)
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

const (
	allowedOBSURI = "obs://bucket/dir/: a bucket name of 3–63 lowercase letters, digits, - and ., then an optional directory ending with /, at most 256 characters"
	allowedEFSURI = "the share path of the SFS Turbo file system, host:/path (e.g. 1f2e….sfsturbo.internal:/notebook), at most 256 characters"
)

// checkStorageURI validates the storage a mount reads. OBS and OBSFS take
// an OBS URL of a directory (the SDK's example obs://modelarts/notebook/;
// a bucket root is a directory too, so a whole parallel file system can be
// mounted); EFS takes an SFS Turbo share path as the SDK's example
// ("…sfsturbo.internal:/notebook"). category is compared case-insensitively;
// an unknown category is checkAttach's business, so any URI passes then.
func checkStorageURI(field, category, uri string) *FieldError {
	cat := NormEnum(category)
	allowed := allowedOBSURI
	if cat == StorageEFS {
		allowed = allowedEFSURI
	}
	if uri == "" {
		return valErr(field, "is required", allowed, uri)
	}
	if n := utf8.RuneCountInString(uri); n > storageURIMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowed, uri)
	}
	if !utf8.ValidString(uri) || strings.IndexFunc(uri, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return valErr(field, "contains whitespace, control characters or invalid UTF-8", allowed, uri)
	}
	switch cat {
	case StorageOBS, StorageOBSFS:
		return checkOBSURI(field, uri)
	case StorageEFS:
		host, path, ok := strings.Cut(uri, ":")
		switch {
		case !ok || host == "":
			return valErr(field, "is not host:/path", allowed, uri)
		case strings.IndexFunc(host, func(r rune) bool { return !isHostChar(r) }) >= 0:
			return valErr(field, "has a host with characters other than letters, digits, - and .", allowed, uri)
		case !strings.HasPrefix(path, "/"):
			return valErr(field, "has a path that does not start with /", allowed, uri)
		case strings.Contains(path, "//"):
			return valErr(field, "contains an empty segment (//)", allowed, uri)
		}
	}
	return nil
}

func isHostChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.'
}

// checkOBSURI validates obs://bucket/[dir/]. Bucket names follow OBS's rule
// (3–63 characters, lowercase letters, digits, - and ., starting and ending
// with a letter or digit, no "..", ".-" or "-."). The directory must end
// with "/": OBS directories are key prefixes ending with a slash, and a
// mount of a single object is not possible.
func checkOBSURI(field, uri string) *FieldError {
	rest, ok := strings.CutPrefix(uri, "obs://")
	if !ok {
		return valErr(field, "does not start with obs://", allowedOBSURI, uri)
	}
	bucket, dir, _ := strings.Cut(rest, "/")
	if msg := obsBucketProblem(bucket); msg != "" {
		return valErr(field, msg, allowedOBSURI, uri)
	}
	if !strings.HasSuffix(uri, "/") {
		return valErr(field, "must end with / (a directory)", allowedOBSURI, uri)
	}
	if dir == "" {
		return nil // the bucket root
	}
	if msg := segmentProblem(strings.Split(strings.TrimSuffix(dir, "/"), "/")); msg != "" {
		return valErr(field, msg, allowedOBSURI, uri)
	}
	return nil
}

// segmentProblem describes an empty, "." or ".." segment of a split path,
// or returns "". Object stores would create literal objects of those
// names, and a mount point cannot be one, so all path validators refuse
// them alike.
func segmentProblem(segs []string) string {
	for _, s := range segs {
		switch {
		case s == "":
			return "contains an empty segment (//)"
		case s == "." || s == "..":
			return fmt.Sprintf("contains the segment %q", s)
		}
	}
	return ""
}

// obsBucketProblem describes what is wrong with an OBS bucket name, or
// returns "".
func obsBucketProblem(b string) string {
	switch {
	case b == "":
		return "has no bucket name"
	case len(b) < 3 || len(b) > 63:
		return fmt.Sprintf("has a bucket name of %d characters", len(b))
	case strings.Contains(b, "..") || strings.Contains(b, ".-") || strings.Contains(b, "-."):
		return "has a bucket name with .., .- or -."
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '-' && c != '.' {
			return fmt.Sprintf("has a bucket name with %q (only lowercase letters, digits, - and .)", rune(c))
		}
		if (i == 0 || i == len(b)-1) && !alnum {
			return "has a bucket name that does not start and end with a letter or digit"
		}
	}
	return ""
}

// ValidateStorageURI checks the uri of a dynamic mount of the given
// category (OBS, OBSFS or EFS).
func ValidateStorageURI(category, uri string) error {
	return valAsError(checkStorageURI("uri", category, uri))
}

const allowedEfsID = "the UUID of the SFS Turbo file system, e.g. 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"

// checkEfsID validates an SFS Turbo file-system ID: a UUID (SDK: "合法UUID类型").
func checkEfsID(field, id string) *FieldError {
	if id == "" {
		return valErr(field, "is required for category EFS", allowedEfsID, id)
	}
	if !isUUID(id) {
		return valErr(field, "is not a UUID", allowedEfsID, id)
	}
	return nil
}

// isUUID reports the 8-4-4-4-12 hexadecimal form (either case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Validate checks an attach request and returns every failing field.
// Category is matched case-insensitively, as volume categories are (§8.6).
func (r *AttachStorageRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	catErr := checkEnumFold("category", r.Category, false, StorageOBS, StorageOBSFS, StorageEFS)
	es = valAdd(es, catErr)
	es = valAdd(es, checkMountPath("mount_path", r.MountPath))
	if catErr == nil {
		es = valAdd(es, checkStorageURI("uri", r.Category, r.URI))
	}
	switch {
	case catErr != nil:
	case NormEnum(r.Category) == StorageEFS:
		es = valAdd(es, checkEfsID("efs_id", r.EfsID))
	case r.EfsID != "":
		es = append(es, valErr("efs_id", "is only used with category EFS", "empty unless category is EFS", r.EfsID))
	}
	return es.Err()
}

// MountHolds reports whether a mount in this status still occupies its
// directory and counts against the per-notebook limit: everything but
// UNMOUNTED (a failed mount stays until it is detached).
func MountHolds(status string) bool {
	return NormEnum(status) != MountUnmounted
}
