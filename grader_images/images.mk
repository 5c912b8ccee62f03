# Grading images (see grader_images/README.md). Included by the top-level Makefile:
#     include grader_images/images.mk
# Every target calls grader_images/build.sh, whose steps are idempotent (existing outputs are
# reused), so these are phony on purpose. Knobs are make (or environment) variables, e.g.
#     make images BASE_IMAGE=python:3.11-slim-bookworm   # where a registry is reachable
#     make images NO_CACHE=1                             # docker build --no-cache
#     make images IMAGES_PYTHON=python3.11               # host pip that fills the wheelhouse

# Included before or after the includer's own targets, this file never becomes the default goal.
_grader_images_default_goal := $(.DEFAULT_GOAL)

# Knobs go to build.sh on its command line only (nothing is exported to the includer's recipes).
GRADER_IMAGES_SH := BASE_IMAGE='$(BASE_IMAGE)' NO_CACHE='$(NO_CACHE)' REBUILD_BASE='$(REBUILD_BASE)' \
	PYTHON='$(or $(IMAGES_PYTHON),python3)' $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/build.sh

.PHONY: images image-cpu image-cuda base-image wheelhouse wheelhouse-cuda docker-engine images-smoke

## images: the CPU grading image dlsp/grader-cpu (local base, offline build from the wheelhouse)
images: image-cpu

image-cpu: base-image wheelhouse
	$(GRADER_IMAGES_SH) image cpu

## image-cuda: the CUDA grading image dlsp/grader-cuda (torch 2.14.1 + CUDA 13 wheels, ~6 GB)
image-cuda: base-image wheelhouse-cuda
	$(GRADER_IMAGES_SH) image cuda

## base-image: dlsp/base:bookworm via debootstrap + docker import (skipped if present, or if
## BASE_IMAGE names another base)
base-image:
	@if [ -z "$(BASE_IMAGE)" ] || [ "$(BASE_IMAGE)" = "dlsp/base:bookworm" ]; then \
		$(GRADER_IMAGES_SH) base; \
	else echo "BASE_IMAGE=$(BASE_IMAGE): not building the local base"; fi

## wheelhouse: build/wheelhouse/cpu (+ the project wheel) from the pinned requirements
wheelhouse:
	$(GRADER_IMAGES_SH) wheelhouse cpu

wheelhouse-cuda:
	$(GRADER_IMAGES_SH) wheelhouse cuda

## docker-engine: install docker.io if missing and start dockerd (root)
docker-engine:
	$(GRADER_IMAGES_SH) engine

images-smoke:
	$(GRADER_IMAGES_SH) smoke cpu

.DEFAULT_GOAL := $(_grader_images_default_goal)
