// Git plumbing: see GitRepository.swift.
