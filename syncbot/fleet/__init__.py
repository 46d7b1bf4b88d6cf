"""A GitHub App fleet: the repositories the App is installed on discover themselves.

With App credentials and no ``[[trackers]]``, ``syncbot serve`` lists the App's installations and their
repositories, reads each repository's ``.github/syncbot.toml`` and serves the trackers it names; the
``installation``, ``installation_repositories`` and ``push`` webhooks keep that set current.  Every
tracker syncs through the contents API (no clone), with a token per installation.

* ``config.py``: a repository's own configuration file, read with the ``[[trackers]]`` model;
* ``tokens.py``: one cached installation token per installation;
* ``client.py``: the App's REST calls (PyGithub), behind the ``AppClient`` protocol;
* ``discovery.py``: ``Fleet``, the served set, kept current by ``reconcile`` and ``apply(delivery)``;
* ``payloads.py``: what a webhook payload says (the repositories it names, a push touching the file);
* ``sync.py``: one fleet tracker synced over the file API;
* ``feed.py``: the fleet as ``syncbot serve`` runs it (discovery feeding the queue's set of trackers);
* ``gitlab.py``: a GitLab group as a fleet (its projects with a ``.syncbot.toml``);
* ``setup.py``: whether the settings describe a fleet, and the fleet built from them.
"""
