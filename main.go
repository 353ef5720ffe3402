// Command matui is a terminal dashboard for ModelArts DevEnviron notebook
// instances on Huawei Cloud and Open Telekom Cloud.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "version" {
		fmt.Println("matui", version)
		return
	}
	fmt.Fprintln(os.Stderr, "matui: the dashboard is not built yet; try `matui version`")
	os.Exit(2)
}
