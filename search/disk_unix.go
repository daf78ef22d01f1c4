//go:build linux || darwin

package search

import (
	"fmt"
	"syscall"
)

// freeBytes is the room left to unprivileged users on dir's filesystem.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}

// Filesystem magic numbers (statfs f_type) of network and FUSE filesystems.
var remoteFilesystems = map[uint32]string{
	0x6969:     "NFS",
	0x517b:     "SMB",
	0xff534d42: "CIFS",
	0xfe534d42: "SMB2",
	0x65735546: "FUSE",
	0x01021997: "9P",
}

// FilesystemWarning returns a warning when dir lies on a network, FUSE or
// synced filesystem, where bleve's index files have been lost or torn
// (bleve #1640, Meilisearch #4402, #5872); empty otherwise.
func FilesystemWarning(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return ""
	}
	if name, ok := remoteFilesystems[uint32(st.Type)]; ok {
		return fmt.Sprintf("data folder %s is on a %s filesystem: keep the index on a local disk, network and synced filesystems lose or tear index files", dir, name)
	}
	return syncedPathWarning(dir)
}
