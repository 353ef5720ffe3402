package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxFileBytes bounds a config or credentials file. A real one is a few
// KiB; a path that points at something endless (/dev/zero, a huge log by
// mistake) must fail at once with a clear message, not fill memory.
const maxFileBytes = 1 << 20

// readRegularFile reads the file at path, which must be a regular file (a
// symlink to one is fine) of at most maxFileBytes. The type is checked
// before the file is opened: opening a FIFO blocks until something writes
// to it, and a device such as /dev/zero never ends. The opened file is
// checked again, so a file swapped for something else in between is
// refused too. what names the file in errors ("config file"). Errors of
// a missing file wrap fs.ErrNotExist.
func readRegularFile(path, what string) ([]byte, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := checkRegular(path, what, st); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	ost, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if !os.SameFile(st, ost) {
		return nil, nil, fmt.Errorf("%s %s changed while it was being opened", what, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", what, path, err)
	}
	if len(data) > maxFileBytes {
		return nil, nil, fmt.Errorf("%s %s is larger than %d KiB: not a %s", what, path, maxFileBytes>>10, what)
	}
	return data, ost, nil
}

// checkRegular refuses what is not a regular file, naming what it is.
func checkRegular(path, what string, st fs.FileInfo) error {
	m := st.Mode()
	if m.IsRegular() {
		if st.Size() > maxFileBytes {
			return fmt.Errorf("%s %s is larger than %d KiB (%d bytes): not a %s", what, path, maxFileBytes>>10, st.Size(), what)
		}
		return nil
	}
	kind := "not a regular file"
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		kind = "a character device"
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("%s %s is %s: it must be a regular file", what, path, kind)
}
