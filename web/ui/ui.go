// Package ui embeds the planner's web map, built from web/ui/src by `make ui`
// (npm packages from package-lock.json) into web/ui/dist.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the built front end, rooted at dist/. It holds only .gitkeep
// when the front end has not been built; Built reports that.
func FS() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist/ is embedded at build time
	}
	return sub
}

// Built reports whether the front end was built before the binary.
func Built() bool {
	_, err := fs.Stat(FS(), "index.html")
	return err == nil
}
