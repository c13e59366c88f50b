/* The clinic's chat page: gets a Direct Line token from this server, then renders Web Chat. */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var container = document.getElementById('webchat');
  var status = document.getElementById('status');
  // Per tab: a reload keeps the conversation; closing the tab (or "New chat") forgets it here.
  var STORAGE_KEY = 'clinic-chat';

  function readSaved() {
    try {
      return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
    } catch (e) {
      return null;
    }
  }

  function save(value) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch (e) {
      /* Private browsing without storage: the chat works, a reload starts over. */
    }
  }

  function initials(name) {
    return name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map(function (w) {
        return w[0].toUpperCase();
      })
      .join('');
  }

  document.getElementById('new-chat').addEventListener('click', function () {
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      /* nothing kept */
    }
    window.location.reload();
  });

  /** A token for this tab's conversation (resumed when `previous` still opens it), or for a new one. */
  async function requestToken(previous) {
    var response = await fetch('/api/directline/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(typeof previous === 'string' ? { resume: previous } : {}),
    });
    if (!response.ok) throw new Error('token request failed: ' + response.status);
    return response.json();
  }

  /**
   * The conversation a nudge's link (`/?resume=<token>`) reopens, or null when there is no link or it
   * no longer opens one. The token leaves the address bar at once (history, bookmarks, shared screens).
   */
  async function conversationFromLink() {
    var url = new URL(window.location.href);
    var link = url.searchParams.get('resume');
    if (!link) return null;
    url.searchParams.delete('resume');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    try {
      var response = await fetch('/api/webchat/resume', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link }),
      });
      return response.ok ? await response.json() : null;
    } catch (e) {
      return null;
    }
  }

  async function start() {
    // An expired or unknown link opens this tab's conversation (or a new one), as a plain visit does.
    var conversation = await conversationFromLink();
    if (!conversation) {
      var saved = readSaved();
      conversation = await requestToken(saved && saved.token);
    }
    save({ token: conversation.token });

    var directLine = window.WebChat.createDirectLine({
      token: conversation.token,
      domain: conversation.domain || window.location.origin + conversation.path,
      webSocket: conversation.webSocket,
      conversationId: conversation.resumed ? conversation.conversationId : undefined,
      conversationStartProperties: { locale: config.locale },
    });
    // Web Chat renews its token while the page is open; keep the latest for the next reload.
    directLine.activity$.subscribe(function () {
      if (directLine.token) save({ token: directLine.token });
    });
    // A token that expired while the page slept (a closed laptop): Web Chat ends that connection,
    // so the page reloads, which resumes the same conversation with a fresh token.
    var EXPIRED_TOKEN = 3; // botframework-directlinejs ConnectionStatus.ExpiredToken
    directLine.connectionStatus$.subscribe(function (connectionStatus) {
      if (connectionStatus === EXPIRED_TOKEN) window.location.reload();
    });

    var brand = config.brand;
    status.remove();
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        locale: config.locale,
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: config.placeholder },
        styleOptions: {
          accent: brand.primaryColor,
          botAvatarImage: config.logo,
          botAvatarInitials: initials(config.botName),
          bubbleBorderRadius: 12,
          bubbleFromUserBorderRadius: 12,
          bubbleFromUserBackground: brand.primaryColor,
          bubbleFromUserTextColor: brand.onPrimaryColor,
          bubbleBackground: '#f1f5f5',
          bubbleBorderWidth: 0,
          bubbleFromUserBorderWidth: 0,
          hideUploadButton: true,
          primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
          sendBoxTextWrap: true,
          suggestedActionLayout: 'flow',
          suggestedActionBackgroundColor: '#ffffff',
          suggestedActionBorderColor: brand.primaryColor,
          suggestedActionTextColor: brand.primaryColor,
          suggestedActionBorderRadius: 999,
        },
      },
      container,
    );
  }

  start().catch(function () {
    status.textContent = config.unavailable;
    status.classList.add('error');
    if (!status.isConnected) container.replaceChildren(status);
  });
})();
