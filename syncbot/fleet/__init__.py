"""A GitHub App fleet: the repositories the App is installed on discover themselves.

With App credentials and no ``[[trackers]]``, ``syncbot serve`` lists the App's installations and their
repositories, reads each repository's ``.github/syncbot.toml`` and serves the trackers it names; the
``installation``, ``installation_repositories`` and ``push`` webhooks keep that set current.  Every
tracker syncs through the contents API (no clone), with a token per installation.

* ``config.py``: a repository's own configuration file, read with the ``[[trackers]]`` model;
* ``tokens.py``: one cached installation token per installation;
* ``client.py``: the App's REST calls (PyGithub), behind the ``AppClient`` protocol;
* ``discovery.py``: ``Fleet``, the served set, kept current by ``reconcile`` and ``apply(delivery)``;
* ``sync.py``: one fleet tracker synced over the file API.
"""
