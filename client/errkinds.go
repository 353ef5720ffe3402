package client

// Error kinds of the storage, tag, image and pool calls, beside IsNotFound,
// IsConflict, IsAuth and IsThrottled (errors.go).

// IsNotRunning reports ModelArts.6327: the operation (mount, unmount, save
// as image, lease renewal) needs a RUNNING instance.
func IsNotRunning(err error) bool {
	e, ok := asAPIError(err)
	return ok && codeNumber(e.Code) == "6327"
}

// IsQuotaExceeded reports that a limit was reached: ModelArts.0113 (create:
// quota exhausted), 0116/0118 (expected count exceeds the quota — e.g. too
// many mounts or tags on one notebook) and 6302 (instance count at the
// maximum).
func IsQuotaExceeded(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch codeNumber(e.Code) {
	case "0113", "0116", "0118", "6302":
		return true
	}
	return false
}

// IsDuplicate reports ModelArts.6737: an image with that name and tag
// already exists in the organisation.
func IsDuplicate(err error) bool {
	e, ok := asAPIError(err)
	return ok && codeNumber(e.Code) == "6737"
}
