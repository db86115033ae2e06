// Demo shop behaviour: the catalog, a cart kept in localStorage, and each page's script, picked by <body data-page>.
(function () {
  'use strict';

  var CART_KEY = 'demo-shop.cart';
  var LAST_ORDER_KEY = 'demo-shop.last-order';
  var ACCOUNT_KEY = 'demo-shop.account';
  var MAX_QTY = 10;
  var FREE_SHIPPING_FROM = 50;
  var SHIPPING = 4.9;
  /**
   * The one promo code the server accepts (server/src/static/demo-promo.ts); any other is refused,
   * SPRING15 too, which the cart advertises: applying it again and again is the demo's error loop.
   */
  var PROMO_CODE = 'WELCOME10';
  var PROMO_RATE = 0.1;

  var PRODUCTS = [
    { id: 'mug', name: 'Stoneware Mug', price: 18, blurb: 'Hand-glazed, 350 ml, keeps its warmth.', art: mugArt },
    { id: 'tee', name: 'Organic Cotton Tee', price: 29, blurb: 'Heavyweight jersey in forest green.', art: teeArt },
    { id: 'tote', name: 'Canvas Tote', price: 22, blurb: 'Sturdy 12 oz canvas with long handles.', art: toteArt },
    { id: 'beanie', name: 'Merino Beanie', price: 34, blurb: 'Soft, warm, and never itchy.', art: beanieArt },
    { id: 'notebook', name: 'Dot-Grid Notebook', price: 14.5, blurb: 'A5, 160 pages, lies flat.', art: notebookArt },
    { id: 'bottle', name: 'Insulated Bottle', price: 27, blurb: '24 hours cold, 12 hours hot.', art: bottleArt },
    { id: 'plant', name: 'Desk Plant Pot', price: 19, blurb: 'Terracotta pot with a drainage tray.', art: plantArt },
    { id: 'socks', name: 'Striped Socks', price: 12, blurb: 'Combed cotton, reinforced heel.', art: socksArt },
  ];

  var money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

  // ---- Product art: inline SVG, so the shop needs no image files or network.

  function svg(background, body) {
    return '<svg viewBox="0 0 120 120" role="img" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">' +
      '<rect width="120" height="120" fill="' + background + '"/>' + body + '</svg>';
  }
  function mugArt() {
    return svg('#f3e3d3', '<rect x="32" y="38" width="46" height="52" rx="8" fill="#c8643b"/>' +
      '<path d="M78 50 h8 a12 12 0 0 1 0 24 h-8" fill="none" stroke="#c8643b" stroke-width="7"/>' +
      '<path d="M44 28 q4 -6 0 -12 M56 28 q4 -6 0 -12" stroke="#b9a48f" stroke-width="3" fill="none"/>');
  }
  function teeArt() {
    return svg('#dfe9e4', '<path d="M42 26 L26 36 L18 56 L32 62 L36 52 L36 96 L84 96 L84 52 L88 62 L102 56 L94 36 L78 26 Q60 40 42 26 Z" fill="#2f5d50"/>');
  }
  function toteArt() {
    return svg('#efe8da', '<path d="M46 44 V34 a14 14 0 0 1 28 0 V44" fill="none" stroke="#8a7350" stroke-width="5"/>' +
      '<rect x="30" y="42" width="60" height="56" rx="4" fill="#d8c6a2"/><circle cx="60" cy="70" r="9" fill="#d9824b"/>');
  }
  function beanieArt() {
    return svg('#e6e1f0', '<circle cx="60" cy="28" r="9" fill="#b9aed6"/><path d="M28 78 Q28 34 60 34 Q92 34 92 78 Z" fill="#6b5b95"/>' +
      '<rect x="24" y="74" width="72" height="18" rx="6" fill="#574a7d"/>');
  }
  function notebookArt() {
    return svg('#e9eef5', '<rect x="34" y="22" width="54" height="76" rx="4" fill="#1f3b5c"/>' +
      '<rect x="76" y="22" width="5" height="76" fill="#d9824b"/><rect x="42" y="34" width="26" height="10" rx="2" fill="#e9eef5"/>');
  }
  function bottleArt() {
    return svg('#e4f0f2', '<rect x="50" y="16" width="20" height="12" rx="3" fill="#2a5a68"/>' +
      '<rect x="40" y="26" width="40" height="78" rx="14" fill="#4a90a4"/><rect x="46" y="48" width="6" height="40" rx="3" fill="#7fb5c4"/>');
  }
  function plantArt() {
    return svg('#eef3e2', '<ellipse cx="48" cy="46" rx="10" ry="22" fill="#5b8c3a" transform="rotate(-25 48 46)"/>' +
      '<ellipse cx="72" cy="46" rx="10" ry="22" fill="#6fa346" transform="rotate(25 72 46)"/><ellipse cx="60" cy="40" rx="9" ry="24" fill="#4f7d31"/>' +
      '<path d="M38 66 H82 L76 100 H44 Z" fill="#c8643b"/><rect x="34" y="62" width="52" height="8" rx="2" fill="#b5552f"/>');
  }
  function socksArt() {
    return svg('#f6e6e6', '<path d="M44 18 H70 V70 L88 84 a10 10 0 0 1 -8 18 L52 88 Q44 84 44 74 Z" fill="#d9824b"/>' +
      '<rect x="44" y="28" width="26" height="6" fill="#2f5d50"/><rect x="44" y="42" width="26" height="6" fill="#2f5d50"/><rect x="44" y="56" width="26" height="6" fill="#2f5d50"/>');
  }

  // ---- Cart, in localStorage so it survives page loads.

  function findProduct(id) {
    for (var i = 0; i < PRODUCTS.length; i++) if (PRODUCTS[i].id === id) return PRODUCTS[i];
    return null;
  }
  function readCart() {
    try {
      var lines = JSON.parse(localStorage.getItem(CART_KEY) || '[]');
      return Array.isArray(lines) ? lines.filter(function (l) { return findProduct(l.id) && l.qty > 0; }) : [];
    } catch (e) {
      return [];
    }
  }
  function writeCart(lines) {
    localStorage.setItem(CART_KEY, JSON.stringify(lines));
    updateCartBadge();
  }
  function clampQty(qty) {
    return Math.max(0, Math.min(MAX_QTY, Math.floor(Number(qty) || 0)));
  }
  function setQty(id, qty) {
    var next = clampQty(qty);
    var cart = readCart();
    var index = cart.findIndex(function (l) { return l.id === id; });
    if (next === 0) {
      if (index >= 0) cart.splice(index, 1);
    } else if (index >= 0) {
      cart[index].qty = next;
    } else {
      cart.push({ id: id, qty: next });
    }
    writeCart(cart);
  }
  function addToCart(id, qty) {
    var line = readCart().find(function (l) { return l.id === id; });
    setQty(id, (line ? line.qty : 0) + qty);
  }
  function cartTotals(lines, promoApplied) {
    var subtotal = lines.reduce(function (sum, l) { return sum + findProduct(l.id).price * l.qty; }, 0);
    var discount = promoApplied ? Math.round(subtotal * PROMO_RATE * 100) / 100 : 0;
    var shipping = subtotal === 0 || subtotal - discount >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    return { subtotal: subtotal, discount: discount, shipping: shipping, total: subtotal - discount + shipping, count: lines.reduce(function (n, l) { return n + l.qty; }, 0) };
  }
  function updateCartBadge() {
    var badge = document.getElementById('cart-count');
    if (badge) badge.textContent = String(cartTotals(readCart(), false).count);
  }

  var toastTimer = 0;
  function toast(message) {
    var el = document.getElementById('toast');
    if (!el) return;
    el.textContent = message;
    el.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.classList.remove('show'); }, 2200);
  }

  function el(tag, attributes, html) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (html !== undefined) node.innerHTML = html;
    return node;
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // ---- Pages

  function initIndex() {
    var list = document.getElementById('product-list');
    PRODUCTS.forEach(function (p) {
      var item = el('li', { class: 'product-card', id: 'product-' + p.id, 'data-testid': 'product-' + p.id });
      item.innerHTML =
        '<a class="art" href="product.html?id=' + p.id + '" tabindex="-1" aria-hidden="true">' + p.art() + '</a>' +
        '<div class="body"><h2><a href="product.html?id=' + p.id + '" data-testid="product-link-' + p.id + '">' + escapeHtml(p.name) + '</a></h2>' +
        '<p class="blurb">' + escapeHtml(p.blurb) + '</p>' +
        '<div class="row"><span class="price" data-testid="price-' + p.id + '">' + money.format(p.price) + '</span>' +
        '<button type="button" class="button" data-testid="add-to-cart-' + p.id + '" data-product="' + p.id + '">Add to cart</button></div></div>';
      list.appendChild(item);
    });
    list.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-product]');
      if (!button) return;
      var product = findProduct(button.getAttribute('data-product'));
      addToCart(product.id, 1);
      toast(product.name + ' added to cart');
    });
  }

  function initProduct() {
    var id = new URLSearchParams(location.search).get('id');
    var product = findProduct(id);
    var root = document.getElementById('product-detail');
    if (!product) {
      document.title = 'Product not found · Lumen Goods';
      root.outerHTML = '<div class="panel empty" id="product-missing" data-testid="product-missing"><h1>Product not found</h1>' +
        '<p class="lede">We could not find that product.</p><a class="button" href="index.html">Back to the shop</a></div>';
      return;
    }
    document.title = product.name + ' · Lumen Goods';
    root.setAttribute('data-product', product.id);
    // The picture looks zoomable (pointer, a zoom on hover) but is not: the demo's dead click.
    root.innerHTML =
      '<div class="art" id="product-image" data-testid="product-image" role="img" aria-label="Photo of ' + escapeHtml(product.name) + '">' + product.art() + '</div>' +
      '<div><p><a href="index.html">← All products</a></p><h1 id="product-title">' + escapeHtml(product.name) + '</h1>' +
      '<p class="price" id="product-price">' + money.format(product.price) + '</p><p>' + escapeHtml(product.blurb) + '</p>' +
      '<div class="buy"><div class="field"><label for="quantity">Quantity</label>' +
      '<select id="quantity" data-testid="quantity">' + [1, 2, 3, 4, 5].map(function (n) { return '<option>' + n + '</option>'; }).join('') + '</select></div>' +
      '<button type="button" class="button" id="add-to-cart" data-testid="add-to-cart-' + product.id + '">Add to cart</button></div></div>';
    document.getElementById('add-to-cart').addEventListener('click', function () {
      var qty = Number(document.getElementById('quantity').value);
      addToCart(product.id, qty);
      toast(qty + ' × ' + product.name + ' added to cart');
    });
  }

  function initCart() {
    var promoApplied = false;
    var itemsEl = document.getElementById('cart-items');
    var filled = document.getElementById('cart-filled');
    var empty = document.getElementById('cart-empty');

    function render() {
      var lines = readCart();
      filled.hidden = lines.length === 0;
      empty.hidden = lines.length > 0;
      itemsEl.innerHTML = '';
      lines.forEach(function (line) {
        var p = findProduct(line.id);
        var item = el('li', { class: 'cart-item', 'data-testid': 'cart-item-' + p.id, 'data-product': p.id });
        item.innerHTML =
          '<div class="art">' + p.art() + '</div>' +
          '<div><h2>' + escapeHtml(p.name) + '</h2><span class="muted">' + money.format(p.price) + ' each</span><br>' +
          '<div class="qty"><button type="button" data-action="decrease" data-testid="qty-decrease-' + p.id + '" aria-label="One fewer">−</button>' +
          '<input type="number" min="1" max="' + MAX_QTY + '" value="' + line.qty + '" id="qty-' + p.id + '" data-testid="qty-' + p.id + '" aria-label="Quantity of ' + escapeHtml(p.name) + '">' +
          '<button type="button" data-action="increase" data-testid="qty-increase-' + p.id + '" aria-label="One more">+</button></div> ' +
          '<button type="button" class="link-button" data-action="remove" data-testid="remove-' + p.id + '">Remove</button></div>' +
          '<div class="line-total" data-testid="line-total-' + p.id + '">' + money.format(p.price * line.qty) + '</div>';
        itemsEl.appendChild(item);
      });
      var totals = cartTotals(lines, promoApplied);
      document.getElementById('cart-subtotal').textContent = money.format(totals.subtotal);
      document.getElementById('cart-discount-label').hidden = !promoApplied;
      document.getElementById('cart-discount').hidden = !promoApplied;
      document.getElementById('cart-discount').textContent = '−' + money.format(totals.discount);
      document.getElementById('cart-shipping').textContent = totals.shipping === 0 ? 'Free' : money.format(totals.shipping);
      document.getElementById('cart-total').textContent = money.format(totals.total);
    }

    itemsEl.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-action]');
      if (!button) return;
      var id = button.closest('[data-product]').getAttribute('data-product');
      var line = readCart().find(function (l) { return l.id === id; });
      var qty = line ? line.qty : 0;
      var action = button.getAttribute('data-action');
      if (action === 'remove') setQty(id, 0);
      else if (action === 'increase') setQty(id, qty + 1);
      else setQty(id, Math.max(1, qty - 1));
      render();
    });
    itemsEl.addEventListener('change', function (event) {
      if (event.target.type !== 'number') return;
      var id = event.target.closest('[data-product]').getAttribute('data-product');
      setQty(id, Math.max(1, clampQty(event.target.value)));
      render();
    });
    function showPromo(applied, text) {
      var message = document.getElementById('promo-message');
      promoApplied = applied;
      message.textContent = text;
      message.className = applied ? 'hint' : 'error';
      sessionStorage.setItem('demo-shop.promo', applied ? PROMO_CODE : '');
      render();
    }
    document.getElementById('promo-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var code = document.getElementById('promo-code').value.trim();
      if (!code) return showPromo(false, 'Enter a code first.');
      // The server checks the code, as a real shop's would; a refusal also fails the script, as it often does.
      fetch('api/promo', { method: 'POST', body: code, headers: { 'Content-Type': 'text/plain' } })
        .then(function (response) {
          if (!response.ok) throw new Error('Promo code rejected with status ' + response.status);
          showPromo(true, '10% off applied.');
        })
        .catch(function (error) {
          showPromo(false, 'This code is not valid.');
          throw error;
        });
    });
    promoApplied = sessionStorage.getItem('demo-shop.promo') === PROMO_CODE;
    render();
  }

  // ---- Form validation: the Constraint Validation API plus our own checks, messages beside each field.

  /** Postcode formats per country, deliberately strict (case and spacing matter): the demo's friction point. */
  var POSTCODES = {
    GB: { pattern: /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/, example: 'SW1A 1AA' },
    IE: { pattern: /^[A-Z][0-9]{2} [A-Z0-9]{4}$/, example: 'D02 X285' },
    US: { pattern: /^[0-9]{5}$/, example: '94103' },
    DE: { pattern: /^[0-9]{5}$/, example: '10115' },
    FR: { pattern: /^[0-9]{5}$/, example: '75001' },
    NL: { pattern: /^[1-9][0-9]{3} [A-Z]{2}$/, example: '1012 AB' },
  };
  /** International format without spaces: people who type "0161 496 0000" or "+44 161…" get refused. */
  var PHONE = /^\+[1-9][0-9]{7,14}$/;

  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return sum % 10 === 0;
  }
  function emailCheck(value) {
    // type=email accepts "name@shop"; a real address needs a domain with a dot.
    return /^[^@\s]+@[^@\s]+\.[^@\s]{2,}$/.test(value) ? '' : 'Enter an email address like name@example.com.';
  }

  function createValidator(form, checks) {
    var touched = {};
    var fields = Array.prototype.slice.call(form.querySelectorAll('input, select')).filter(function (f) { return f.id && f.type !== 'submit'; });

    function messageFor(field) {
      var v = field.validity;
      if (v.valueMissing) return field.getAttribute('data-required-message') || 'This field is required.';
      if (v.typeMismatch || v.patternMismatch || v.tooShort) return field.getAttribute('data-format-message') || 'Check the format of this field.';
      var check = checks[field.id];
      return check ? check(field.type === 'checkbox' ? field.checked : field.value.trim(), field) : '';
    }

    function validate(field) {
      field.setCustomValidity('');
      var message = messageFor(field);
      field.setCustomValidity(message);
      var errorEl = document.getElementById(field.id + '-error');
      if (errorEl) errorEl.textContent = message;
      var wrapper = field.closest('.field');
      if (wrapper) wrapper.classList.toggle('invalid', Boolean(message));
      field.setAttribute('aria-invalid', message ? 'true' : 'false');
      return !message;
    }

    fields.forEach(function (field) {
      field.addEventListener('blur', function (event) {
        touched[field.id] = true;
        // Focus moving to the submit button: submit validates everything anyway, and a message
        // appearing now would push the button down between mousedown and mouseup, eating the click.
        var next = event.relatedTarget;
        if (next && next.type === 'submit' && form.contains(next)) return;
        validate(field);
      });
      field.addEventListener(field.tagName === 'SELECT' || field.type === 'checkbox' ? 'change' : 'input', function () {
        if (touched[field.id]) validate(field);
      });
    });

    return {
      validate: validate,
      touched: touched,
      /** Validates everything; returns the invalid fields, in form order. */
      validateAll: function () {
        return fields.filter(function (field) {
          touched[field.id] = true;
          return !validate(field);
        });
      },
    };
  }

  function showFormError(form, invalid, extra) {
    var box = form.querySelector('.form-error');
    if (!invalid.length && !extra) {
      box.hidden = true;
      form.removeAttribute('data-state');
      return;
    }
    box.hidden = false;
    box.textContent = extra || (invalid.length === 1 ? 'Please fix the highlighted field.' : 'Please fix the ' + invalid.length + ' highlighted fields.');
    form.setAttribute('data-state', 'invalid');
    if (invalid[0]) invalid[0].focus();
  }

  function initCheckout() {
    var form = document.getElementById('checkout-form');
    var country = document.getElementById('country');
    var validator = createValidator(form, {
      email: emailCheck,
      'full-name': function (value) {
        return value.split(/\s+/).length >= 2 ? '' : 'Enter your first and last name.';
      },
      postcode: function (value) {
        var rule = POSTCODES[country.value];
        if (!rule) return 'Choose your country first.';
        return rule.pattern.test(value) ? '' : 'Enter a valid postcode for ' + country.options[country.selectedIndex].text + ', e.g. ' + rule.example + '.';
      },
      phone: function (value) {
        return PHONE.test(value) ? '' : 'Enter your phone number in international format, e.g. +441632960961.';
      },
      'card-number': function (value) {
        var digits = value.replace(/ /g, '');
        return /^[0-9]{13,19}$/.test(digits) && luhn(digits) ? '' : 'Enter a valid card number.';
      },
      'card-expiry': function (value) {
        var match = /^(0[1-9]|1[0-2]) ?\/ ?([0-9]{2})$/.exec(value);
        if (!match) return 'Enter the expiry date as MM/YY.';
        var now = new Date();
        var year = 2000 + Number(match[2]);
        var month = Number(match[1]);
        return year > now.getFullYear() || (year === now.getFullYear() && month >= now.getMonth() + 1) ? '' : 'This card has expired.';
      },
      'card-cvc': function (value) {
        return /^[0-9]{3,4}$/.test(value) ? '' : 'Enter the 3 or 4 digits on the back of the card.';
      },
    });
    country.addEventListener('change', function () {
      var postcode = document.getElementById('postcode');
      if (validator.touched.postcode) validator.validate(postcode);
    });

    renderSummary();
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var invalid = validator.validateAll();
      var lines = readCart();
      if (invalid.length) return showFormError(form, invalid);
      if (!lines.length) return showFormError(form, [], 'Your cart is empty. Add a product before placing an order.');
      showFormError(form, []);
      var button = document.getElementById('place-order');
      button.disabled = true;
      button.textContent = 'Placing order…';
      var order = { number: 'LG-' + String(Date.now()).slice(-6), total: cartTotals(lines, sessionStorage.getItem('demo-shop.promo') === PROMO_CODE).total };
      // A short wait, as a real payment step would take.
      setTimeout(function () {
        localStorage.setItem(LAST_ORDER_KEY, JSON.stringify(order));
        localStorage.removeItem(CART_KEY);
        sessionStorage.removeItem('demo-shop.promo');
        location.href = 'thanks.html?order=' + encodeURIComponent(order.number);
      }, 700);
    });
  }

  function renderSummary() {
    var lines = readCart();
    var totals = cartTotals(lines, sessionStorage.getItem('demo-shop.promo') === PROMO_CODE);
    var list = document.getElementById('summary-lines');
    list.innerHTML = lines.length
      ? lines.map(function (l) {
          var p = findProduct(l.id);
          return '<li data-testid="summary-' + p.id + '"><span>' + l.qty + ' × ' + escapeHtml(p.name) + '</span><span>' + money.format(p.price * l.qty) + '</span></li>';
        }).join('')
      : '<li data-testid="summary-empty"><span>Your cart is empty.</span></li>';
    document.getElementById('summary-total').textContent = money.format(totals.total);
  }

  var PASSWORD_RULES = {
    length: function (v) { return v.length >= 10; },
    upper: function (v) { return /[A-Z]/.test(v); },
    number: function (v) { return /[0-9]/.test(v); },
    symbol: function (v) { return /[^A-Za-z0-9]/.test(v); },
  };

  function initSignup() {
    var form = document.getElementById('signup-form');
    var password = document.getElementById('password');
    function updateRules() {
      Object.keys(PASSWORD_RULES).forEach(function (rule) {
        document.getElementById('rule-' + rule).classList.toggle('met', PASSWORD_RULES[rule](password.value));
      });
    }
    password.addEventListener('input', updateRules);
    var validator = createValidator(form, {
      email: emailCheck,
      password: function (value) {
        return Object.keys(PASSWORD_RULES).every(function (r) { return PASSWORD_RULES[r](value); }) ? '' : 'Your password must meet all the rules below.';
      },
      terms: function (checked) {
        return checked ? '' : 'Please accept the terms to create an account.';
      },
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var invalid = validator.validateAll();
      if (invalid.length) return showFormError(form, invalid);
      showFormError(form, []);
      localStorage.setItem(ACCOUNT_KEY, JSON.stringify({ name: document.getElementById('name').value.trim() }));
      location.href = 'thanks.html?signup=1';
    });
    updateRules();
  }

  function initThanks() {
    var params = new URLSearchParams(location.search);
    var title = document.getElementById('thanks-title');
    var text = document.getElementById('thanks-text');
    if (params.get('signup')) {
      var account = JSON.parse(localStorage.getItem(ACCOUNT_KEY) || '{}');
      title.textContent = 'Welcome' + (account.name ? ', ' + account.name.split(' ')[0] : '') + '!';
      text.textContent = 'Your account is ready. Happy browsing.';
      return;
    }
    var order = JSON.parse(localStorage.getItem(LAST_ORDER_KEY) || 'null');
    var number = params.get('order') || (order && order.number) || '';
    document.getElementById('order-number').textContent = number;
    document.getElementById('order-info').hidden = !number;
    if (order && order.number === number) document.getElementById('order-total').textContent = money.format(order.total);
  }

  var PAGES = { index: initIndex, product: initProduct, cart: initCart, checkout: initCheckout, signup: initSignup, thanks: initThanks };

  function start() {
    updateCartBadge();
    var init = PAGES[document.body.getAttribute('data-page')];
    if (init) init();
    // Another tab changed the cart: keep the badge honest.
    window.addEventListener('storage', function (event) {
      if (event.key === CART_KEY) updateCartBadge();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
