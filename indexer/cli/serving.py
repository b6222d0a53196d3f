"""`vankien serve`: the web app under a production WSGI server."""
from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from .app import accounts_option, accounts_path, fail_cleanly, index_option, main


@main.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar="VANKIEN_HOST",
              help="Address to listen on. The default answers this machine only; use "
                   "0.0.0.0 to let other machines on the network search.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              envvar="VANKIEN_PORT", show_envvar=True,
              help="Port to listen on; the page is then at http://HOST:PORT/.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Requests answered at once; more wait in line. A search keeps one CPU "
                   "core busy for about 0.1 s, so more threads than cores do not answer "
                   "faster.")
@click.option("--composer", default="extractive", show_default=True, envvar="VANKIEN_COMPOSER",
              show_envvar=True, help="What writes the answers above the results: "
                                     "'extractive' (sentences quoted from the documents) or "
                                     "'package.module:factory' (see `vankien ask --help`).")
@click.option("--no-auth", is_flag=True,
              help="Serve to the network (a --host other than this machine's) although no "
                   "user exists, so that anyone who reaches it sees every document.")
@click.option("--behind-proxy", is_flag=True, envvar="VANKIEN_BEHIND_PROXY",
              help="Trust one reverse proxy's X-Forwarded-For/-Proto headers (nginx with "
                   "HTTPS in front): addresses in the audit log and Secure cookies follow them.")
@accounts_option
@fail_cleanly
def serve_command(index_dir, host, port, threads, composer, no_auth, behind_proxy,
                  accounts_file):
    """Serve the search page and the JSON API with a production WSGI server (waitress).

    The server picks up a new index version published by `vankien reindex` on the next
    request, without a restart.
    """
    # The web app is an adapter beside this one; only the command that serves it loads it.
    from waitress.server import create_server

    from webapp import create_app

    accounts = accounts_path(index_dir, accounts_file)
    app = create_app({"VANKIEN_INDEX": str(index_dir), "COMPOSER": composer,
                      "VANKIEN_ACCOUNTS": str(accounts)})
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.extensions["vankien"].searcher()  # open the index and load the model before serving
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="vankien")
    except (OSError, ValueError) as exc:  # the port is taken; no such address on this machine
        reason = getattr(exc, "strerror", None) or str(exc)
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from exc
    try:
        _refuse_open_network(accounts, host, port, no_auth)
    except click.ClickException:
        server.close()
        raise
    click.echo(f"Vankien: http://{host}:{port}/ (index {index_dir}; Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _refuse_open_network(accounts: Path, host: str, port: int, no_auth: bool) -> None:
    """Refuse to serve every document to the network with no user defined, unless told."""
    from ..accounts import AccountStore

    has_users = accounts.is_file() and AccountStore(accounts.parent, accounts.name).enabled
    if has_users or _local(host):
        return
    if not no_auth:
        raise click.ClickException(
            f"no user exists, so anyone who reaches {host}:{port} would see every document: "
            "add one (`vankien users add NAME --role admin`) or, to serve without logins "
            "anyway, add --no-auth")
    click.echo(f"Warning: serving {host}:{port} without logins (--no-auth): everyone who "
               "reaches it sees every document.", err=True)


def _local(host: str) -> bool:
    """Say whether an address to listen on is this machine only (loopback)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
