// Package ui is matui's Bubble Tea dashboard.
package ui
