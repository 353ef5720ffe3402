// Package themes maps colour palettes to every style the UI uses.
package themes
