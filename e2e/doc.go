// Package e2e drives the real application in headless Chromium: the pages
// as people use them.
package e2e
